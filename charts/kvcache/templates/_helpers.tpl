{{/*
Names and labels shared by every template. Objects the chart creates carry the standard
app.kubernetes.io labels with managed-by = Helm; objects the operator builds for a
KvCluster carry managed-by = kvcache-operator and the cluster's name as instance.
*/}}

{{/* The chart's name, "kvcache" unless nameOverride is set. */}}
{{- define "kvcache.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Prefix of the chart's object names: the release name when it already holds the chart name. */}}
{{- define "kvcache.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := include "kvcache.name" . -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Name of the operator's Deployment, ServiceAccount, Service and RBAC objects. */}}
{{- define "kvcache.operatorName" -}}
{{- printf "%s-operator" (include "kvcache.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "kvcache.operatorServiceAccountName" -}}
{{- if .Values.operator.serviceAccount.create -}}
{{- default (include "kvcache.operatorName" .) .Values.operator.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.operator.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Name of the chart's KvCluster; its router Service has the same name. */}}
{{- define "kvcache.clusterName" -}}
{{- default .Release.Name .Values.cluster.name | trunc 52 | trimSuffix "-" -}}
{{- end -}}

{{- define "kvcache.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels of a chart object; call with (dict "root" $ "component" "operator"). */}}
{{- define "kvcache.labels" -}}
helm.sh/chart: {{ include "kvcache.chart" .root }}
{{ include "kvcache.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: kvcache
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* The labels a selector matches; stable across upgrades. */}}
{{- define "kvcache.selectorLabels" -}}
app.kubernetes.io/name: {{ include "kvcache.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* An image reference; a blank tag means the chart's appVersion. Call with (dict "root" $ "image" .Values.x.image). */}}
{{- define "kvcache.image" -}}
{{- printf "%s:%s" .image.repository (default .root.Chart.AppVersion .image.tag) -}}
{{- end -}}

{{/* Pod security context of every pod the chart runs (Pod Security Standard "restricted"). */}}
{{- define "kvcache.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .uid }}
runAsGroup: {{ .uid }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Container security context of every container the chart runs. */}}
{{- define "kvcache.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
privileged: false
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end -}}
