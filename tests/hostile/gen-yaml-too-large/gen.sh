# a 17 MiB scenario (a comment): larger than the 16 MiB a scenario may have
{ echo 'name: case'; echo 'periods: 4'; printf '#'; head -c 17825792 /dev/zero | tr '\0' 'c'; echo; } > scenario.yaml
