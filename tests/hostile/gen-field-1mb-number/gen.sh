# capacity.csv with a 1 MiB number: 1 followed by zeros (overflows a double)
{ echo 'site,type,pflops'; printf 's1,cpu,1'; head -c 1048575 /dev/zero | tr '\0' '0'; echo; } > capacity.csv
