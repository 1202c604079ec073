# demand.csv is a symbolic link to /dev/zero
rm -f demand.csv && ln -s /dev/zero demand.csv
