#!/usr/bin/env bash
# The Debian packages: cpack builds iota-streams and iota-streams-dev from BUILD_DIR; the test checks
# their control data, files and maintainer scripts, that apt could install them here (simulated), then
# unpacks both with dpkg-deb -x into a scratch root and runs streams demo and streams-node --help from
# it, and builds the C and C++ consumers against the unpacked -dev package (tests/install/run.sh).
#   tests/package/run.sh BUILD_DIR SCRATCH_DIR [EXTRA_FLAGS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: $0 BUILD_DIR SCRATCH_DIR [EXTRA_FLAGS]}
scratch=${2:?usage: $0 BUILD_DIR SCRATCH_DIR [EXTRA_FLAGS]}
extra=${3:-}
rm -rf "$scratch" && mkdir -p "$scratch/root"
fail() { echo "FAIL: $*"; exit 1; }

echo "== cpack -G DEB"
(cd "$scratch" && cpack --config "$build/CPackConfig.cmake" -B "$scratch/out" >"$scratch/cpack.log") ||
  { cat "$scratch/cpack.log"; fail "cpack"; }
runtime=$(ls "$scratch"/out/iota-streams_*.deb)
dev=$(ls "$scratch"/out/iota-streams-dev_*.deb)
ls -l "$runtime" "$dev"

echo "== control data"
dpkg-deb -f "$runtime" Package Version Architecture Depends
[ "$(dpkg-deb -f "$runtime" Package)" = iota-streams ] || fail "runtime package name"
[[ $(dpkg-deb -f "$runtime" Depends) == *libcurl* ]] || fail "runtime Depends lack libcurl (shlibdeps)"
[[ $(dpkg-deb -f "$dev" Depends) == *"iota-streams (= "* ]] || fail "-dev does not depend on the runtime"
control=$(dpkg-deb --ctrl-tarfile "$runtime" | tar -t)  # listed whole: grep -q would cut the pipe (pipefail)
for script in postinst prerm postrm; do
  grep -qx "./$script" <<<"$control" || fail "no $script"
done
dpkg-deb --ctrl-tarfile "$runtime" | tar -xO ./postinst | sh -n || fail "postinst syntax"

echo "== apt-get --simulate install (dependencies resolvable here)"
apt-get --simulate install "$runtime" "$dev" >"$scratch/apt.log" 2>&1 || { cat "$scratch/apt.log"; fail "apt"; }
grep -E "^Inst iota-streams" "$scratch/apt.log"

echo "== dpkg-deb -x"
dpkg-deb -x "$runtime" "$scratch/root"
dpkg-deb -x "$dev" "$scratch/root"
root=$scratch/root
for f in usr/bin/streams usr/bin/streams-node usr/lib/systemd/system/streams-node.service \
         usr/lib/sysusers.d/streams-node.conf usr/lib/tmpfiles.d/streams-node.conf \
         usr/share/doc/iota-streams/README.md; do
  [ -e "$root/$f" ] || fail "$f not in the packages"
done
unit=$root/usr/lib/systemd/system/streams-node.service
grep -qx "User=streams-node" "$unit" || fail "the unit does not run as streams-node"
grep -q -- "--db /var/lib/streams-node/" "$unit" || fail "the unit's database is not under /var/lib/streams-node"
grep -q "^u streams-node " "$root/usr/lib/sysusers.d/streams-node.conf" || fail "sysusers"
grep -q "^d /var/lib/streams-node 0750 streams-node streams-node" "$root/usr/lib/tmpfiles.d/streams-node.conf" ||
  fail "tmpfiles"
if command -v systemd-analyze >/dev/null; then
  # The unit as systemd reads it, its program taken from the scratch root (keys, values, ExecStart).
  sed "s|/usr/bin/streams-node|$root/usr/bin/streams-node|" "$unit" >"$scratch/streams-node.service"
  systemd-analyze verify "$scratch/streams-node.service" >"$scratch/verify.log" 2>&1 ||
    { cat "$scratch/verify.log"; fail "systemd-analyze verify"; }
  ! grep -E "Unknown|Invalid|Failed|ignoring" "$scratch/verify.log" || fail "systemd-analyze verify"
  echo "systemd-analyze verify: ok"
fi

echo "== programs from the unpacked packages"
"$root/usr/bin/streams" demo | grep "FLOW COMPLETED"
"$root/usr/bin/streams-node" --help | grep "usage: streams-node"

echo "== consumers against the unpacked -dev package"
"$here/../install/run.sh" --installed "$root/usr" "$scratch/consumers" "$extra"
echo "PACKAGE TEST PASSED"
