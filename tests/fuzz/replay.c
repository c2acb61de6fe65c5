/* replay: runs a fuzz target over saved corpus files, as an ordinary test under gcc. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/test.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    int files = 0;
    for (int i = 1; i < argc; i++) {
        DIR *d = opendir(argv[i]);
        if (!d) {
            fprintf(stderr, "replay: cannot open %s\n", argv[i]);
            return 1;
        }
        for (struct dirent *de; (de = readdir(d));) {
            if (de->d_name[0] == '.')
                continue;
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", argv[i], de->d_name);
            size_t n;
            char *p = test_read_file(path, &n);
            if (!p)
                continue;
            LLVMFuzzerTestOneInput((const uint8_t *)p, n); /* asserts abort on failure */
            free(p);
            files++;
        }
        closedir(d);
    }
    printf("replayed %d inputs\n%d passed, 0 failed\n", files, files);
    return files ? 0 : 1;
}
