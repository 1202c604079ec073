/usr/bin/python3 -c "print('x' * 300000 + ': 1')" >> scenario.yaml
