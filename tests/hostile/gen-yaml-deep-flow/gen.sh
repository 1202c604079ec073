# a value nested 100000 flow levels deep
{ echo 'name: case'; echo 'periods: 4'; printf 'deep: '
  head -c 100000 /dev/zero | tr '\0' '['; head -c 100000 /dev/zero | tr '\0' ']'; echo; } > scenario.yaml
