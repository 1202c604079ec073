# types.csv whose header has 5000 extra columns (the rows keep 2 fields)
{ printf 'id,mw_per_pflops'; for i in $(seq 1 5000); do printf ',c%d' "$i"; done; echo
  echo 'cpu,0.5'; echo 'gpu,1.2'; } > types.csv
