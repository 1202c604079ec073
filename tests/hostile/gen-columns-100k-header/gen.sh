/usr/bin/python3 -c "print(','.join('c%d' % i for i in range(100000)))" > hubs.csv
