/*
 * file_server: serves the files of a directory (the share) over HTTP/1.1,
 * one connection at a time, one request per connection.
 *   file_server [PORT] [ROOT]     (default 8083, root /www)
 * GET /a/b gets ROOT/a/b; paths with ".." are refused (the host confines
 * the share anyway).  A client that leaves mid-transfer only ends its own
 * connection.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasmedge_sock.h"

static char buf[65536];

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static void reply_status(int fd, const char *status)
{
	int n = snprintf(buf, sizeof(buf),
			 "HTTP/1.1 %s\r\nContent-Length: %zu\r\n"
			 "Connection: close\r\n\r\n%s\n",
			 status, strlen(status) + 1, status);

	write_all(fd, buf, (size_t)n);
}

/* Read the request head; the path into path.  0 or -1. */
static int read_request(int fd, char *path, size_t cap)
{
	size_t len = 0;

	while (len < sizeof(buf) - 1) {
		ssize_t r = read(fd, buf + len, sizeof(buf) - 1 - len);

		if (r <= 0)
			return -1;
		len += (size_t)r;
		buf[len] = 0;
		if (strstr(buf, "\r\n\r\n"))
			break;
	}
	if (strncmp(buf, "GET /", 5))
		return -1;
	char *sp = strchr(buf + 4, ' ');

	if (!sp || (size_t)(sp - (buf + 4)) >= cap)
		return -1;
	memcpy(path, buf + 4, (size_t)(sp - (buf + 4)));
	path[sp - (buf + 4)] = 0;
	return 0;
}

static void serve(int fd, const char *root)
{
	char path[1024], full[2048];
	struct stat st;
	int f;

	if (read_request(fd, path, sizeof(path))) {
		reply_status(fd, "400 Bad Request");
		return;
	}
	if (strstr(path, "..")) {
		reply_status(fd, "403 Forbidden");
		return;
	}
	snprintf(full, sizeof(full), "%s%s", root, path);
	f = open(full, O_RDONLY);
	if (f < 0 || fstat(f, &st) || !S_ISREG(st.st_mode)) {
		if (f >= 0)
			close(f);
		reply_status(fd, "404 Not Found");
		return;
	}
	int n = snprintf(buf, sizeof(buf),
			 "HTTP/1.1 200 OK\r\nContent-Length: %lld\r\n"
			 "Content-Type: application/octet-stream\r\n"
			 "Connection: close\r\n\r\n",
			 (long long)st.st_size);

	if (write_all(fd, buf, (size_t)n) == 0) {
		ssize_t r;

		while ((r = read(f, buf, sizeof(buf))) > 0) {
			if (write_all(fd, buf, (size_t)r))
				break; /* the client left */
		}
	}
	close(f);
}

int main(int argc, char **argv)
{
	uint8_t ip[4] = {127, 0, 0, 1};
	const char *root = argc > 2 ? argv[2] : "/www";
	int lfd = we_listen(ip, 4, we_port_arg(argc, argv, 1, 8083), 64);

	if (lfd < 0) {
		fprintf(stderr, "file_server: listen: %s\n", strerror(-lfd));
		return 1;
	}
	printf("file_server: serving %s\n", root);
	fflush(stdout);
	for (;;) {
		uint32_t cfd;
		uint32_t e = we_sock_accept((uint32_t)lfd, &cfd);

		if (e) {
			fprintf(stderr, "file_server: accept: %s\n",
				strerror((int)e));
			return 1;
		}
		serve((int)cfd, root);
		close((int)cfd);
	}
}
