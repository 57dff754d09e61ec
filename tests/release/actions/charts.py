"""Small charts written for the action tests."""

from __future__ import annotations

from pathlib import Path

CONFIGMAP = """apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-settings
data:
  greeting: {{ .Values.greeting | quote }}
  revision: {{ .Release.Revision | quote }}
"""

SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}-web
spec:
  ports:
  - port: {{ .Values.port }}
"""

EXTRA = """{{- if .Values.extra }}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-extra
{{- if .Values.keepExtra }}
  annotations:
    helm.sh/resource-policy: keep
{{- end }}
data: {}
{{- end }}
"""

DEPLOYMENT = """{{- if .Values.deployment }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-app
spec:
  replicas: 1
  selector:
    matchLabels: {app: demo}
  template:
    metadata:
      labels: {app: demo}
    spec:
      containers:
      - name: app
        image: registry.invalid/app:1
{{- end }}
"""

HOOK_JOB = """{{- if .Values.hook }}
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-hook
  annotations:
    helm.sh/hook: {{ .Values.hook }}
    helm.sh/hook-delete-policy: {{ .Values.hookPolicy }}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: hook
        image: registry.invalid/hook:1
{{- end }}
"""

LOOKUP = """{{- if .Values.lookupName }}
{{- $found := lookup "v1" "ConfigMap" .Release.Namespace .Values.lookupName }}
{{- $missing := lookup "v1" "ConfigMap" .Release.Namespace "absent" }}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-looked-up
data:
  found: {{ $found.data.color | default "none" | quote }}
  missing: {{ len $missing | quote }}
  listed: {{ len (lookup "v1" "ConfigMap" .Release.Namespace "").items | quote }}
{{- end }}
"""

VALUES = """greeting: hello
port: 80
extra: false
keepExtra: false
deployment: false
hook: ""
hookPolicy: before-hook-creation
lookupName: ""
"""


def write_demo_chart(root: Path, version: str = "0.1.0") -> Path:
    chart = root / f"demo-{version}"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text(f"apiVersion: v2\nname: demo\nversion: {version}\nappVersion: '1.0'\n")
    (chart / "values.yaml").write_text(VALUES)
    for name, text in {
        "configmap.yaml": CONFIGMAP,
        "service.yaml": SERVICE,
        "extra.yaml": EXTRA,
        "deployment.yaml": DEPLOYMENT,
        "hook.yaml": HOOK_JOB,
        "lookup.yaml": LOOKUP,
    }.items():
        (chart / "templates" / name).write_text(text)
    (chart / "templates" / "NOTES.txt").write_text("Installed {{ .Release.Name }}.\n")
    return chart
