/usr/bin/python3 -c "print('extra: [' + ','.join(['1'] * 100000) + ']')" >> scenario.yaml
