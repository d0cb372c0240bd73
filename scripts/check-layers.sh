#!/usr/bin/env bash
# Fails if a layer includes a header of a higher layer. Order, lowest first:
#   base sponge crypto ddml message channels transports (apps, bindings, firmware on top).
set -euo pipefail
cd "$(dirname "$0")/.."
layers=(base sponge crypto ddml message channels transports)
status=0
for i in "${!layers[@]}"; do
  layer=${layers[$i]}
  higher=("${layers[@]:$((i + 1))}")
  [ ${#higher[@]} -eq 0 ] && continue
  pattern="iota_streams/($(IFS='|'; echo "${higher[*]}"))/"
  for dir in "include/iota_streams/$layer" "src/$layer"; do
    [ -d "$dir" ] || continue
    if grep -rEn "#include \"$pattern" "$dir"; then
      echo "layer '$layer' includes a higher layer (above)" >&2
      status=1
    fi
  done
done
[ $status -eq 0 ] && echo "layers ok: ${layers[*]}"
exit $status
