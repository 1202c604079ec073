# sites.csv is a named pipe nobody writes to
rm -f sites.csv && mkfifo sites.csv
