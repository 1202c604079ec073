# scenario.yaml is a named pipe nobody writes to
rm -f scenario.yaml && mkfifo scenario.yaml
