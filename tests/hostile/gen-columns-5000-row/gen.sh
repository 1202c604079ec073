# types.csv with a row of 5000 fields
{ echo 'id,mw_per_pflops'; printf 'cpu,0.5'; for i in $(seq 3 5000); do printf ',%d' "$i"; done; echo
  echo 'gpu,1.2'; } > types.csv
