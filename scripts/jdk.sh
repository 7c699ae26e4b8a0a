# Sourced by ./fetchq, ./test and .ci/run: points JAVA_HOME at a JDK 21 or newer.
# Order: $JAVA_HOME if it is 21+, else the newest 21+ JDK under /usr/lib/jvm (or $FETCHQ_JVM_DIR),
# else `java` on the PATH if it is 21+; otherwise it explains what to install and returns 1.

fetchq_java_major() { # path-to-java -> major version number on stdout
  local v
  v=$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1)
  case "$v" in 1.*) v=${v#1.}; v=${v%%.*};; esac
  [ -n "$v" ] && printf '%s\n' "$v"
}

fetchq_find_jdk() {
  local need=21 best="" best_major=0 home major
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(fetchq_java_major "$JAVA_HOME/bin/java")
    if [ -n "$major" ] && [ "$major" -ge "$need" ]; then return 0; fi
    echo "fetchq: JAVA_HOME=$JAVA_HOME is Java ${major:-?}; looking for a JDK $need+ instead" >&2
  fi
  for home in "${FETCHQ_JVM_DIR:-/usr/lib/jvm}"/*/; do
    home=${home%/}
    [ -x "$home/bin/javac" ] || continue
    major=$(fetchq_java_major "$home/bin/java") || continue
    if [ -n "$major" ] && [ "$major" -ge "$need" ] && [ "$major" -gt "$best_major" ]; then
      best=$home; best_major=$major
    fi
  done
  if [ -z "$best" ] && command -v javac >/dev/null 2>&1; then
    home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    major=$(fetchq_java_major "$home/bin/java")
    if [ -n "$major" ] && [ "$major" -ge "$need" ]; then best=$home; fi
  fi
  if [ -z "$best" ]; then
    echo "fetchq: no JDK $need or newer found (checked JAVA_HOME, ${FETCHQ_JVM_DIR:-/usr/lib/jvm}/*, and javac on PATH)." >&2
    echo "fetchq: install one (e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+) or set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME=$best
}
