# An operator at a serial console, for scripts (sourced by lib/aot-train.sh and boot-test.sh): serial-operator.py
# keeps the line's output in CON_LOG and types what con_send writes; con_expect waits for text the line printed
# after the previous match, so the same prompt can be waited for again and again.
#   con_start attach|create PATH DIR    start the operator (DIR holds serial.log and the input FIFO)
#   con_attach TTY                      the same operator on another terminal (log and mark kept)
#   con_send TEXT                       type TEXT and Enter (CR, as a terminal sends it)
#   con_expect REGEX SECONDS            wait for REGEX (grep -E) after the mark, move the mark past it; 1 on timeout
#   con_text FROM                       what the line printed from offset FROM to the mark
# shellcheck shell=bash
CON_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CON_LOG='' CON_IN='' CON_PID='' CON_MARK=0

con_start() {
  CON_LOG=$3/serial.log CON_IN=$3/console.in CON_MARK=0
  : > "$CON_LOG"
  rm -f "$CON_IN"
  python3 "$CON_LIB/serial-operator.py" "$1" "$2" "$CON_LOG" "$CON_IN" &
  CON_PID=$!
  local _
  for _ in $(seq 1 100); do [ -p "$CON_IN" ] && return 0; sleep 0.1; done
  echo "serial operator did not start" >&2
  return 1
}

# con_attach TTY: the same operator (log, input, mark) on a new terminal, e.g. after the guest was power-cycled.
con_attach() {
  con_stop
  python3 "$CON_LIB/serial-operator.py" attach "$1" "$CON_LOG" "$CON_IN" &
  CON_PID=$!
}

con_stop() {
  [ -z "$CON_PID" ] || kill "$CON_PID" 2> /dev/null || true
  CON_PID=''
}

con_send() {
  printf '%s\r' "$1" > "$CON_IN"
}

con_expect() {
  local deadline=$(( $(date +%s) + $2 )) hit=''
  while :; do
    hit=$(tail -c +$((CON_MARK + 1)) "$CON_LOG" | grep -a -b -o -E -m1 -- "$1" | head -n 1) || true
    [ -n "$hit" ] && break
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.5
  done
  local offset=${hit%%:*} match=${hit#*:}
  CON_MARK=$((CON_MARK + offset + ${#match}))
}

con_text() {
  tail -c +$(($1 + 1)) "$CON_LOG" | head -c $((CON_MARK - $1)) | tr -d '\r'
}
