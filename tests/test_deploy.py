"""``deploy/compose.yaml`` agrees with what the launcher runs (no container runtime here).

``SERVICES`` is the table to keep aligned with the launcher: for every application
service of the compose file, the launcher command it must equal and the options
that differ on purpose (listening address, queue, node name).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from launcher import __main__ as launcher

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "deploy" / "compose.yaml"
NGINX = ROOT / "deploy" / "nginx.conf"
# Short and long spellings of the options these commands use.
ALIASES = {"-A": "--app", "-Q": "--queues", "-c": "--concurrency", "-w": "--workers",
           "-b": "--bind", "-l": "--loglevel", "-n": "--hostname", "-s": "--schedule"}  # fmt: skip
CONCURRENCY = "${WORKER_CONCURRENCY:-2}"


# service -> (launcher command, options set or replaced on purpose)
SERVICES = {
    "web": (lambda: launcher.web_command(5000), {"--bind": "0.0.0.0:5000"}),
    "worker-interactive": (lambda: launcher._worker_command("interactive", 1), {}),
    "worker-bulk": (lambda: launcher._worker_command("bulk", 2), {"--concurrency": CONCURRENCY}),
    "beat": (lambda: launcher._beat_command(Path("/var")),
             {"--schedule": "/var/lib/moodroom/celerybeat-schedule"}),
    "seed": (lambda: ["python", "-m", "flask", "--app", "wsgi", "seed"], {}),
}  # fmt: skip


def parse(command: list[str]) -> tuple[str, list[str], dict[str, str]]:
    """``(program, positional arguments, {long option: value})``; ``python -m X`` is ``X``."""
    args = [str(a) for a in command]
    if args[:3] == ["nice", "-n", "19"]:  # the bulk pool yields the CPU, in both places
        args = args[3:]
    if re.search(r"python[0-9.]*$", args[0]) and args[1] == "-m":
        args = args[2:]
    program, rest, options, positional = args[0], args[1:], {}, []
    i = 0
    while i < len(rest):
        token = rest[i]
        if token.startswith("-"):
            name = ALIASES.get(token, token)
            has_value = i + 1 < len(rest) and not rest[i + 1].startswith("-")
            options[name] = rest[i + 1] if has_value else ""
            i += 2 if has_value else 1
        else:
            positional.append(token)
            i += 1
    return program, positional, options


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def app_services(compose: dict) -> dict:
    services = compose["services"].items()
    return {n: s for n, s in services if s.get("image", "").startswith("moodroom")}


def test_every_application_service_is_in_the_table(compose):
    assert set(app_services(compose)) == set(SERVICES)


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_service_command_matches_the_launcher(compose, name):
    expected_command, overrides = SERVICES[name]
    program, positional, options = parse(expected_command())
    options.update(overrides)
    assert parse(compose["services"][name]["command"]) == (program, positional, options)


def test_every_process_reaches_the_replica_set_and_redis_and_has_its_own_cache(compose):
    envs = [s["environment"] for s in app_services(compose).values()]
    assert all(env == envs[0] for env in envs)
    uri = envs[0]["MONGODB_URI"]
    hosts = re.match(r"mongodb://([^/]+)/", uri).group(1).split(",")
    assert len(hosts) == 3 and "replicaSet=rs0" in uri and "retryWrites=true" in uri
    assert envs[0]["REDIS_URL"].startswith("redis://redis:")
    assert envs[0]["PROXY_HOPS"] == "1"  # exactly the one proxy in front (nginx)
    for name, service in app_services(compose).items():
        # DATA_DIR is a cache inside each container, never a shared volume.
        assert envs[0]["DATA_DIR"] in service.get("tmpfs", []), name
        assert not any(v.split(":")[1] == envs[0]["DATA_DIR"] for v in service["volumes"]), name
        assert all(v.endswith(":ro") for v in service["volumes"]), name  # music: read-only


def test_mongodb_is_a_three_member_replica_set(compose):
    members = [n for n, s in compose["services"].items()
               if s.get("command", [None])[0] == "mongod"]  # fmt: skip
    assert len(members) == 3
    for name in members:
        command = compose["services"][name]["command"]
        assert command[command.index("--replSet") + 1] == "rs0"
    init = " ".join(compose["services"]["mongo-init"]["command"])
    assert all(f'host: "{m}:27017"' in init for m in members) and '_id: "rs0"' in init
    uri = compose["services"]["web"]["environment"]["MONGODB_URI"]
    assert sorted(h.split(":")[0] for h in re.match(r"mongodb://([^/]+)/", uri)[1].split(",")) == (
        sorted(members)
    )


def test_redis_persists_and_singletons_stay_single(compose):
    redis_cmd = compose["services"]["redis"]["command"]
    assert redis_cmd[redis_cmd.index("--appendonly") + 1] == "yes"
    assert any(v.endswith(":/data") for v in compose["services"]["redis"]["volumes"])
    assert compose["services"]["beat"]["deploy"]["replicas"] == 1
    assert compose["services"]["web"]["deploy"]["replicas"] >= 2
    assert compose["services"]["worker-bulk"]["deploy"]["replicas"] >= 2


def test_the_proxy_is_sticky_and_passes_websockets():
    conf = NGINX.read_text()
    upstream = re.search(r"upstream moodroom \{(.*?)\}", conf, re.S).group(1)
    assert re.search(r"^\s*ip_hash;", upstream, re.M) and "server web:5000;" in upstream
    assert "proxy_set_header Upgrade $http_upgrade;" in conf
    assert "proxy_set_header Connection $connection_upgrade;" in conf
