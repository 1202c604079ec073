# 100000 flow sequences opened and never closed
{ echo 'name: case'; echo 'periods: 4'; printf 'x: '; head -c 100000 /dev/zero | tr '\0' '['; echo; } > scenario.yaml
