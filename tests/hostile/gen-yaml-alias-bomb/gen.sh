# "billion laughs": 30 levels of 10 aliases each (10^30 nodes if expanded)
{ echo 'name: case'; echo 'periods: 4'; echo 'l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'
  for i in $(seq 1 30); do p=$((i - 1))
    echo "l$i: &l$i [*l$p, *l$p, *l$p, *l$p, *l$p, *l$p, *l$p, *l$p, *l$p, *l$p]"; done
  echo 'carbon_price: *l30'; } > scenario.yaml
