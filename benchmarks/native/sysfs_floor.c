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

/* The same files the library reads for one session when a consumer wants everything -P 3 shows: the session,
 * connection, iscsi_host and scsi_host attributes, the class link of the session, the transport directory and the
 * LUNs (state + block device name) under the first target directory. Same syscalls as the library, in C. */
static const char *const session_attrs[] = {
    "targetname", "tpgt", "state", "creator", "recovery_tmo", "tgt_reset_tmo", "lu_reset_tmo", "abort_tmo",
    "first_burst_len", "max_burst_len", "immediate_data", "initial_r2t", "max_outstanding_r2t", "username",
    "username_in", "ifacename", "initiatorname",
};
static const char *const connection_attrs[] = {
    "address", "port", "persistent_address", "persistent_port", "state", "header_digest", "data_digest",
    "max_recv_dlength", "max_xmit_dlength",
};
static const char *const iscsi_host_attrs[] = { "ipaddress", "hwaddress", "netdev", "initiatorname" };
static const char *const scsi_host_attrs[] = { "state", "proc_name" };

static int64_t read_all(const char *dir, const char *const *names, size_t count, char *path, size_t path_len,
                        char *value, size_t value_len)
{
    int64_t sum = 0;
    for (size_t i = 0; i < count; i++) {
        snprintf(path, path_len, "%s/%s", dir, names[i]);
        int n = read_attr(path, value, value_len);
        if (n > 0) sum += n;
    }
    return sum;
}

static int64_t read_devices(const char *device_dir, char *path, size_t path_len, char *value, size_t value_len)
{
    int64_t sum = 0;
    char target[1024];
    DIR *d = opendir(device_dir);
    if (!d) return 0;
    struct dirent *e;
    target[0] = 0;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, "target", 6) == 0) {
            snprintf(target, sizeof target, "%s/%s", device_dir, e->d_name);
            break;
        }
    }
    closedir(d);
    if (!target[0]) return 0;
    d = opendir(target);
    if (!d) return 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        snprintf(path, path_len, "%s/%s/state", target, e->d_name);
        int n = read_attr(path, value, value_len);
        if (n > 0) sum += n;
        snprintf(path, path_len, "%s/%s/block", target, e->d_name);
        DIR *b = opendir(path);
        if (b) {
            struct dirent *be;
            while ((be = readdir(b)))
                if (be->d_name[0] != '.') { sum += (int64_t)strlen(be->d_name); break; }
            closedir(b);
        }
    }
    closedir(d);
    return sum;
}

__attribute__((visibility("default")))
int32_t IscsiFloor_ReadSessionsFull(const char *sysfs_root, int64_t *checksum)
{
    char dirpath[512], dir[1024], path[2048], link[1024], value[4096];
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
            snprintf(dir, sizeof dir, "%s/%s", dirpath, name);
            sum += read_all(dir, session_attrs, sizeof session_attrs / sizeof *session_attrs, path, sizeof path, value, sizeof value);
            snprintf(dir, sizeof dir, "%s/class/iscsi_connection/connection%s:0", sysfs_root, sid);
            sum += read_all(dir, connection_attrs, sizeof connection_attrs / sizeof *connection_attrs, path, sizeof path, value, sizeof value);
            snprintf(dir, sizeof dir, "%s/%s", dirpath, name);
            ssize_t l = readlink(dir, link, sizeof link - 1);
            if (l > 0) {
                link[l] = 0;
                char *cut = strstr(link, "/iscsi_session/");
                char *host = NULL;
                if (cut) {
                    *cut = 0;
                    char *slash = strrchr(link, '/');
                    if (slash) { *slash = 0; host = strrchr(link, '/'); *slash = '/'; }
                }
                if (host && strncmp(host + 1, "host", 4) == 0) {
                    int h = atoi(host + 5);
                    snprintf(dir, sizeof dir, "%s/class/iscsi_host/host%d", sysfs_root, h);
                    sum += read_all(dir, iscsi_host_attrs, 4, path, sizeof path, value, sizeof value);
                    snprintf(dir, sizeof dir, "%s/class/scsi_host/host%d", sysfs_root, h);
                    sum += read_all(dir, scsi_host_attrs, 2, path, sizeof path, value, sizeof value);
                    snprintf(path, sizeof path, "%s/class/iscsi_transport/tcp", sysfs_root);
                    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                    if (fd >= 0) { sum++; close(fd); }
                    snprintf(dir, sizeof dir, "%s/%s", dirpath, link);
                    sum += read_devices(dir, path, sizeof path, value, sizeof value);
                }
            }
            sessions++;
        }
        free(names[i]);
    }
    free(names);
    *checksum = sum;
    return sessions;
}
