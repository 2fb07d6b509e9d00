/*
 * The floor for session enumeration: plain C reading the four attributes every consumer needs
 * (targetname, tpgt, connection address and port) for every session, with nothing else around it.
 * Used only by the benchmarks, never shipped.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int read_attr(const char *path, char *buf, size_t len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, len - 1);
    close(fd);
    if (n < 0)
        return -1;
    buf[n] = 0;
    return (int)n;
}

/* Returns the number of sessions read, or -1; *checksum sums tpgt + port + string lengths so that
 * nothing is optimised away. */
__attribute__((visibility("default")))
int32_t IscsiFloor_ReadSessions(const char *sysfs_root, int64_t *checksum)
{
    char dirpath[512], path[1024], value[4096];
    struct dirent **names;
    int64_t sum = 0;
    snprintf(dirpath, sizeof dirpath, "%s/class/iscsi_session", sysfs_root);
    int n = scandir(dirpath, &names, NULL, alphasort);
    if (n < 0)
        return -1;
    int sessions = 0;
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (strncmp(name, "session", 7) == 0) {
            const char *sid = name + 7;
            snprintf(path, sizeof path, "%s/%s/targetname", dirpath, name);
            if (read_attr(path, value, sizeof value) >= 0) sum += (int64_t)strlen(value);
            snprintf(path, sizeof path, "%s/%s/tpgt", dirpath, name);
            if (read_attr(path, value, sizeof value) >= 0) sum += atoi(value);
            snprintf(path, sizeof path, "%s/class/iscsi_connection/connection%s:0/address", sysfs_root, sid);
            if (read_attr(path, value, sizeof value) >= 0) sum += (int64_t)strlen(value);
            snprintf(path, sizeof path, "%s/class/iscsi_connection/connection%s:0/port", sysfs_root, sid);
            if (read_attr(path, value, sizeof value) >= 0) sum += atoi(value);
            sessions++;
        }
        free(names[i]);
    }
    free(names);
    *checksum = sum;
    return sessions;
}
