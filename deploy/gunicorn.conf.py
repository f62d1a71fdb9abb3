"""gunicorn settings: `gunicorn -c deploy/gunicorn.conf.py 'mdcms_api:create_app()'`."""

# Every value can be changed from the environment, so that one file serves a laptop, a VM and a
# container. gunicorn's own GUNICORN_CMD_ARGS still overrides anything set here.
import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


# PORT (as platforms set it) listens on every interface; without it, only this host's loopback.
_port = os.environ.get("PORT")
bind = os.environ.get("GUNICORN_BIND") or (f"0.0.0.0:{_port}" if _port else "127.0.0.1:8000")
# Requests are short and mostly wait on the database: two processes per core keep the CPU busy.
workers = _int("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1)
# More than one thread switches to gthread workers: use it where slow clients or keep-alive
# connections reach gunicorn directly, without a buffering proxy in front.
threads = _int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"

timeout = _int("GUNICORN_TIMEOUT", 30)  # a worker silent this long is killed and replaced
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)  # in-flight requests finish on restart
keepalive = _int("GUNICORN_KEEPALIVE", 5)  # gthread only; keep it above the balancer's idle time
# Recycle workers now and then, staggered, so that no slow leak grows for weeks.
max_requests = _int("GUNICORN_MAX_REQUESTS", 10_000)
max_requests_jitter = max_requests // 10

# One process imports the app and forks the workers: less memory, and a broken configuration
# stops the start instead of every worker failing on its own. See post_fork for the database.
preload_app = True

# The app logs each request itself as a JSON line (MDCMS_JSON_LOGS=1) with its request id;
# gunicorn's access log would be a second, different line per request.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Trust X-Forwarded-Proto only from the proxies named here (the load balancer's addresses).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# The heartbeat file on a RAM disk: a slow or full disk must not make workers look hung.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"
# Unused by us, and its default path is per user: two instances on a host would fight for it.
control_socket_disable = True


def post_fork(server, worker):  # type: ignore[no-untyped-def]
    """Give each worker its own database connections, never ones inherited from the master."""
    if not server.cfg.preload_app:
        return
    app = worker.app.wsgi()
    # close=False: the master's pooled connections (if the app opened any while loading) stay
    # open for the master; the worker just forgets them and opens its own on first use.
    app.extensions["mdcms.db"].engine.dispose(close=False)
