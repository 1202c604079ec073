# demand.csv with 100000 bad rows: the diagnostics are capped (100 printed, then a count)
{ echo 'region,class,period,pflops'; seq 0 99999 | sed 's/.*/bj,web,&,-1/'; } > demand.csv
