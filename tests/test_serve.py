"""`clientport serve` end to end: a real web server and worker on a throwaway SQLite database,
a real login over HTTP, and a Ctrl-C that leaves no process behind."""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django_tasks import task

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="finds the children through /proc"),
]

CLIENTPORT = [sys.executable, "-m", "clientport"]
REPO_ROOT = Path(__file__).resolve().parents[1]
# Set by the test settings or by `make test-postgres`; the server must run on its own defaults.
TEST_ONLY_VARIABLES = (
    "DJANGO_SETTINGS_MODULE", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_COOKIES", "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL", "CLIENTPORT_TEST_DB", "MEDIA_ROOT", "SITE_URL", "EMAIL_HOST", "PORT",
)


@task()
def write_file(path: str) -> None:
    """Run by the worker of `serve`: proves it takes tasks from the served database."""
    Path(path).write_text("done")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
    except OSError:
        return False
    return True


def processes_marked(marker: str) -> dict[int, str]:
    """Live processes whose environment holds `marker` (serve, gunicorn's arbiter and its
    worker, the import worker), as pid -> command line. Zombies have an empty environment."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker.encode() not in (entry / "environ").read_bytes():
                continue
            found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return found


def wait_until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.fixture
def server_env(tmp_path):
    env = {name: value for name, value in os.environ.items() if name not in TEST_ONLY_VARIABLES}
    env.update(
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CLIENTPORT_VAR_DIR=str(tmp_path / "var"),
        PYTHONUNBUFFERED="1",
        # So the worker can import this module's task.
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
    )
    return env


def log_in(base_url: str, email: str, password: str) -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with opener.open(f"{base_url}/login/", timeout=10) as response:
        page = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    # Django's login form calls the email field "username" unless the project renamed it.
    email_field = "email" if re.search(r'name="email"', page) else "username"
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, email_field: email, "password": password})
    with opener.open(f"{base_url}/login/", data=form.encode(), timeout=10) as response:
        assert urllib.parse.urlsplit(response.url).path != "/login/", "the demo login was refused"
    return opener


def test_serve_runs_the_app_and_the_worker_and_stops_both_on_ctrl_c(server_env, tmp_path):
    demo = subprocess.run([*CLIENTPORT, "demo"], env=server_env, capture_output=True, text=True, timeout=180)
    assert demo.returncode == 0, demo.stderr

    port = free_port()
    marker = server_env["CLIENTPORT_VAR_DIR"]
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log:
        serve = subprocess.Popen([*CLIENTPORT, "serve", "--port", str(port)], env=server_env, stdout=log, stderr=log)
    try:
        started = wait_until(lambda: port_answers(port) or serve.poll() is not None, timeout=60)
        assert started and serve.poll() is None, f"serve did not start:\n{log_path.read_text()}"

        base_url = f"http://127.0.0.1:{port}"
        opener = log_in(base_url, "owner@demo.example", "clientport-demo")
        with opener.open(f"{base_url}/clients/accounts/", timeout=10) as response:
            assert response.status == 200
            assert "Maria Gonzalez" in response.read().decode()

        assert f"http://localhost:{port}/" in log_path.read_text()
        done = tmp_path / "task-done"
        enqueue = f"from tests.test_serve import write_file; write_file.enqueue({str(done)!r})"
        subprocess.run([*CLIENTPORT, "shell", "-c", enqueue], env=server_env, check=True, timeout=60)
        assert wait_until(done.exists, timeout=15), f"the worker ran no task:\n{log_path.read_text()}"

        children = processes_marked(marker)
        assert any("gunicorn" in command for command in children.values()), children
        assert any("clientport worker" in command for command in children.values()), children

        serve.send_signal(signal.SIGINT)
        assert serve.wait(timeout=20) == 0, log_path.read_text()
        assert wait_until(lambda: not processes_marked(marker), timeout=5), processes_marked(marker)
        assert not port_answers(port)
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait()
        for pid in processes_marked(marker):
            os.kill(pid, signal.SIGKILL)


def test_serve_exits_with_an_error_when_a_child_dies(server_env, tmp_path):
    port = free_port()
    marker = server_env["CLIENTPORT_VAR_DIR"]
    serve = subprocess.Popen(
        [*CLIENTPORT, "serve", "--port", str(port)],
        env=server_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        assert wait_until(lambda: port_answers(port) or serve.poll() is not None, timeout=60)
        worker = next(pid for pid, command in processes_marked(marker).items() if "clientport worker" in command)
        os.kill(worker, signal.SIGKILL)

        output, _ = serve.communicate(timeout=20)
        assert serve.returncode != 0
        assert "The worker stopped unexpectedly" in output
        assert wait_until(lambda: not processes_marked(marker), timeout=5), processes_marked(marker)
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.communicate()
        for pid in processes_marked(marker):
            os.kill(pid, signal.SIGKILL)


def test_serve_refuses_a_port_in_use(server_env):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [*CLIENTPORT, "serve", "--port", str(port)], env=server_env, capture_output=True, text=True, timeout=60
        )
    assert result.returncode != 0
    assert f"Port {port} is already in use" in result.stderr


def test_serve_without_debug_shows_a_page_crash_with_its_path_and_user(server_env, tmp_path):
    demo = subprocess.run([*CLIENTPORT, "demo"], env=server_env, capture_output=True, text=True, timeout=180)
    assert demo.returncode == 0, demo.stderr
    server_env.update(
        DEBUG="0", SECRET_KEY="s" * 50, ALLOWED_HOSTS="127.0.0.1", SECURE_COOKIES="0",
        DJANGO_SETTINGS_MODULE="tests.serve_settings",
    )
    port = free_port()
    marker = server_env["CLIENTPORT_VAR_DIR"]
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log:
        serve = subprocess.Popen([*CLIENTPORT, "serve", "--port", str(port)], env=server_env, stdout=log, stderr=log)
    try:
        assert wait_until(lambda: port_answers(port) or serve.poll() is not None, timeout=60)
        assert serve.poll() is None, log_path.read_text()
        opener = log_in(f"http://127.0.0.1:{port}", "owner@demo.example", "clientport-demo")
        with pytest.raises(urllib.error.HTTPError) as error:
            opener.open(f"http://127.0.0.1:{port}/fail/", timeout=10)
        assert error.value.code == 500
        assert "Traceback" not in error.value.read().decode()

        assert wait_until(lambda: "Internal Server Error: /fail/" in log_path.read_text(), timeout=5), log_path.read_text()
        log = log_path.read_text()
        assert re.search(r"Internal Server Error: /fail/ \[path=/fail/ user=\d+\]", log), log
        assert "ValueError: (message withheld" in log
        assert "ann.lee@acme.example" not in log
    finally:
        serve.send_signal(signal.SIGINT)
        try:
            serve.wait(timeout=20)
        except subprocess.TimeoutExpired:
            serve.kill()
            serve.wait()
        for pid in processes_marked(marker):
            os.kill(pid, signal.SIGKILL)
