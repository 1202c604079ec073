# scenario.yaml is a symbolic link to /dev/zero
rm -f scenario.yaml && ln -s /dev/zero scenario.yaml
