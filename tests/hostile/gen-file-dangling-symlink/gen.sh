# hubs.csv is a symbolic link to nothing
rm -f hubs.csv && ln -s /nonexistent/cnopt/hubs.csv hubs.csv
