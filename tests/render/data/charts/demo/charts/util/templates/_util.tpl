{{- define "util.hello" -}}hello from util{{- end -}}
