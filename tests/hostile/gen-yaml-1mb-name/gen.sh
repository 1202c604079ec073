# a 1 MiB scenario name
{ printf 'name: '; head -c 1048576 /dev/zero | tr '\0' 'n'; echo; echo 'periods: 4'; } > scenario.yaml
