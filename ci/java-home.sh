# Sourced by faultline's scripts: exports JAVA_HOME pointing at a JDK >= 21.
# Honours an existing JAVA_HOME if it is new enough, else searches the system JVM directory.
_faultline_java_major() { # prints the feature version of the JDK at $1
  local v
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  echo "${v%%.*}"
}
_faultline_pick_jdk() {
  local cand major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(_faultline_java_major "$JAVA_HOME")
    if [ "${major:-0}" -ge 21 ]; then echo "$JAVA_HOME"; return 0; fi
  fi
  for cand in /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
    [ -x "$cand/bin/javac" ] || continue
    major=$(_faultline_java_major "$cand")
    if [ "${major:-0}" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best="$cand"; best_major=$major; fi
  done
  if [ -z "$best" ] && command -v javac >/dev/null 2>&1; then
    cand=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    major=$(_faultline_java_major "$cand")
    [ "${major:-0}" -ge 21 ] && best="$cand"
  fi
  [ -n "$best" ] && echo "$best"
}
if _jh=$(_faultline_pick_jdk) && [ -n "$_jh" ]; then
  export JAVA_HOME="$_jh"
  export PATH="$JAVA_HOME/bin:$PATH"
else
  echo "faultline needs a JDK 21 or newer: set JAVA_HOME, or install one under /usr/lib/jvm" >&2
  return 1 2>/dev/null || exit 1
fi
unset _jh
