# sites.csv with a 1 MiB name (valid text: 16 read blocks of 64 KiB) and a bad pue on the same row
{
  echo 'id,name,hub,region,pue,power_cap_mw,grid_price,green_price,green_cap_mw,grid_co2,access_rtt_ms,access_gbps'
  printf 's1,'; head -c 1048576 /dev/zero | tr '\0' 'x'; echo ',bth,bj,0.5,100,450,380,40,0.58,2,400'
  echo 's2,Shanghai DC,,sh,1.3,,500,420,10,0.55,1,'
  echo "s3,Gui'an,gzh,gz,1.15,80,350,300,60,0.45,3,200"
} > sites.csv
