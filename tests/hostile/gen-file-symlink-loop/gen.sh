# sites.csv is a symbolic link to itself
rm -f sites.csv && ln -s sites.csv sites.csv
