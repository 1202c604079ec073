# regions.csv: a quoted name holding 1 MiB of line feeds, then a bad lat on the same row
{ echo 'id,name,lat,lon'; printf 'bj,"Bei'; head -c 1048576 /dev/zero | tr '\0' '\n'; echo 'jing",95,116.4'
  echo 'sh,Shanghai,31.2,121.5'; echo 'gz,Guizhou,26.6,106.7'; } > regions.csv
