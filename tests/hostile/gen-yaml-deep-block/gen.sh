# block mappings nested 1000 levels deep under scale (indentation grows by 1 per level)
{ echo 'name: case'; echo 'periods: 4'; echo 'scale:'
  for i in $(seq 1 1000); do printf '%*sk%d:\n' "$i" '' "$i"; done; } > scenario.yaml
