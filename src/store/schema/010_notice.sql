-- 010_notice: e-mail notices (issue 10, notices): citizens' subscriptions to a body's agendas
-- and minutes, and the reminders sent for follow-ups.

