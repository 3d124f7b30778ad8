# Example Bulwark container app (run by busybox sh; its applets — sed, sleep, id… — work without links).
# Contract: the action is in $BULWARK_ACTION, its parameters (a JSON object) in $BULWARK_PARAMETERS, the
# credentials (a JSON object, when the task has some) in the read-only file named by $BULWARK_CREDENTIALS_FILE.
# Print the result as JSON on stdout, anything meant for the log on stderr; exit 0 on success, non-zero on failure.

# The string value of a top-level key of $BULWARK_PARAMETERS (good enough for flat parameters).
param() {
  printf '%s' "$BULWARK_PARAMETERS" | sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\"\{0,1\}\([^\",}]*\).*/\1/p"
}

case "$BULWARK_ACTION" in
  hello)
    echo "greeting $(param name)" >&2
    printf '{"greeting":"hello, %s"}\n' "$(param name)"
    ;;
  echo)
    printf '%s\n' "$BULWARK_PARAMETERS"
    ;;
  sleep)
    sleep "$(param seconds)"
    printf '{"slept":%s}\n' "$(param seconds)"
    ;;
  probe)
    # What the app may do: its user, its network interfaces, whether the root file system is writable.
    if touch /probe 2>/dev/null; then root=writable; else root=read-only; fi
    printf '{"uid":%s,"interfaces":"%s","root":"%s"}\n' "$(id -u)" "$(ls /sys/class/net | tr '\n' ' ')" "$root"
    ;;
  credentials)
    # The credential as the app receives it, with the file's mode and owner and the variables it can see.
    printf '{"credentials":%s,"file":"%s","environment":"%s"}\n' "$(cat "$BULWARK_CREDENTIALS_FILE")" \
      "$(stat -c '%A %u' "$BULWARK_CREDENTIALS_FILE")" "$(env | grep '^BULWARK_' | sort | tr '\n' ' ')"
    ;;
  fail)
    echo "failing on purpose: $(param reason)" >&2
    exit 2
    ;;
  *)
    echo "unknown action '$BULWARK_ACTION'" >&2
    exit 64
    ;;
esac
