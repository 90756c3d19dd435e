/*
 * wasi_sigs.h - the Wasm signatures of the wasi_snapshot_preview1 calls
 * (WASI preview 1, in abi.h's signature spelling), which `mewz` checks an
 * object's imports against before linking.  One X(name, sig) per call.
 */
#ifndef MEWZ_WASI_SIGS_H
#define MEWZ_WASI_SIGS_H

#define WASI_SIG_LIST(X)                                                       \
	X(args_get, "ii:i")                                                    \
	X(args_sizes_get, "ii:i")                                              \
	X(environ_get, "ii:i")                                                 \
	X(environ_sizes_get, "ii:i")                                           \
	X(clock_res_get, "ii:i")                                               \
	X(clock_time_get, "iIi:i")                                             \
	X(fd_advise, "iIIi:i")                                                 \
	X(fd_allocate, "iII:i")                                                \
	X(fd_close, "i:i")                                                     \
	X(fd_datasync, "i:i")                                                  \
	X(fd_fdstat_get, "ii:i")                                               \
	X(fd_fdstat_set_flags, "ii:i")                                         \
	X(fd_fdstat_set_rights, "iII:i")                                       \
	X(fd_filestat_get, "ii:i")                                             \
	X(fd_filestat_set_size, "iI:i")                                        \
	X(fd_filestat_set_times, "iIIi:i")                                     \
	X(fd_pread, "iiiIi:i")                                                 \
	X(fd_prestat_get, "ii:i")                                              \
	X(fd_prestat_dir_name, "iii:i")                                        \
	X(fd_pwrite, "iiiIi:i")                                                \
	X(fd_read, "iiii:i")                                                   \
	X(fd_readdir, "iiiIi:i")                                               \
	X(fd_renumber, "ii:i")                                                 \
	X(fd_seek, "iIii:i")                                                   \
	X(fd_sync, "i:i")                                                      \
	X(fd_tell, "ii:i")                                                     \
	X(fd_write, "iiii:i")                                                  \
	X(path_create_directory, "iii:i")                                      \
	X(path_filestat_get, "iiiii:i")                                        \
	X(path_filestat_set_times, "iiiiIIi:i")                                \
	X(path_link, "iiiiiii:i")                                              \
	X(path_open, "iiiiiIIii:i")                                            \
	X(path_readlink, "iiiiii:i")                                           \
	X(path_remove_directory, "iii:i")                                      \
	X(path_rename, "iiiiii:i")                                             \
	X(path_symlink, "iiiii:i")                                             \
	X(path_unlink_file, "iii:i")                                           \
	X(poll_oneoff, "iiii:i")                                               \
	X(proc_exit, "i:")                                                     \
	X(proc_raise, "i:i")                                                   \
	X(sched_yield, ":i")                                                   \
	X(random_get, "ii:i")                                                  \
	X(sock_accept, "iii:i")                                                \
	X(sock_recv, "iiiiii:i")                                               \
	X(sock_send, "iiiii:i")                                                \
	X(sock_shutdown, "ii:i")

#endif /* MEWZ_WASI_SIGS_H */
