{{/*
The services of the suite: keys of their value blocks, in deployment order. The Deployment and Service templates
range over this list; a service's resource and container names are its key in kebab case (workflowService ->
workflow-service).
*/}}
{{- define "bulwark.serviceKeys" -}}
workflowService workerAgent backboneService relayService dispatcherService orchestratorService
{{- end }}

{{/* Chart name. */}}
{{- define "bulwark.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-wide prefix of every resource name: the release name, or "<release>-<chart>" if it lacks the chart name. */}}
{{- define "bulwark.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Chart name and version, for the helm.sh/chart label. */}}
{{- define "bulwark.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The helpers below take a dict: root (the top context) and key (the service's values key).
*/}}

{{/* Component name of a service: its key in kebab case. */}}
{{- define "bulwark.component" -}}
{{- kebabcase .key }}
{{- end }}

{{/* Name of a service's Deployment, Service and container host name: "<fullname>-<component>". */}}
{{- define "bulwark.componentFullname" -}}
{{- printf "%s-%s" (include "bulwark.fullname" .root) (include "bulwark.component" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Selector labels of a service (immutable once deployed). */}}
{{- define "bulwark.selectorLabels" -}}
app.kubernetes.io/name: {{ include "bulwark.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ include "bulwark.component" . }}
{{- end }}

{{/* Common labels of a service's resources. */}}
{{- define "bulwark.labels" -}}
helm.sh/chart: {{ include "bulwark.chart" .root }}
{{ include "bulwark.selectorLabels" . }}
app.kubernetes.io/part-of: bulwark
app.kubernetes.io/version: {{ include "bulwark.imageTag" . | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- end }}

{{/* Image tag of a service: its own tag, else global.image.tag, else the chart's appVersion. */}}
{{- define "bulwark.imageTag" -}}
{{- $svc := index .root.Values .key }}
{{- $svc.image.tag | default .root.Values.global.image.tag | default .root.Chart.AppVersion | toString }}
{{- end }}

{{/* Full image reference of a service: [registry/]repository:tag. */}}
{{- define "bulwark.image" -}}
{{- $svc := index .root.Values .key }}
{{- $registry := .root.Values.global.image.registry | default "" | trimSuffix "/" }}
{{- if $registry }}
{{- printf "%s/%s:%s" $registry $svc.image.repository (include "bulwark.imageTag" .) }}
{{- else }}
{{- printf "%s:%s" $svc.image.repository (include "bulwark.imageTag" .) }}
{{- end }}
{{- end }}

{{/*
Env of a service's container: infrastructure wiring from the global values, then global.env, then the service's own
env (Kubernetes uses the last of duplicate names, so a service's env can override the wiring).
*/}}
{{- define "bulwark.env" -}}
{{- $root := .root }}
{{- $g := $root.Values.global }}
{{- $svc := index $root.Values .key }}
{{- $connects := $svc.connectsTo | default list }}
- name: QUARKUS_HTTP_PORT
  value: {{ $svc.port | int | quote }}
{{- if $svc.database }}
- name: QUARKUS_DATASOURCE_JDBC_URL
  value: {{ printf "jdbc:postgresql://%s:%d/%s" $g.postgres.host ($g.postgres.port | int) $svc.database | quote }}
- name: QUARKUS_DATASOURCE_USERNAME
  value: {{ $g.postgres.user | quote }}
- name: QUARKUS_DATASOURCE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ required "global.postgres.existingSecret is required by services with a database" $g.postgres.existingSecret | quote }}
      key: {{ $g.postgres.passwordKey | default "password" | quote }}
{{- end }}
{{- if has "kafka" $connects }}
- name: KAFKA_BOOTSTRAP_SERVERS
  value: {{ required "global.kafka.bootstrapServers is required" $g.kafka.bootstrapServers | quote }}
{{- end }}
{{- if has "rabbitmq" $connects }}
- name: RABBITMQ_HOST
  value: {{ required "global.rabbitmq.host is required" $g.rabbitmq.host | quote }}
- name: RABBITMQ_PORT
  value: {{ $g.rabbitmq.port | int | quote }}
- name: RABBITMQ_USERNAME
  value: {{ $g.rabbitmq.user | quote }}
- name: RABBITMQ_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ required "global.rabbitmq.existingSecret is required" $g.rabbitmq.existingSecret | quote }}
      key: {{ $g.rabbitmq.passwordKey | default "password" | quote }}
{{- end }}
{{- if has "redis" $connects }}
- name: QUARKUS_REDIS_HOSTS
  value: {{ required "global.redis.hosts is required" $g.redis.hosts | quote }}
{{- end }}
- name: MP_JWT_VERIFY_PUBLICKEY_LOCATION
  value: {{ required "global.jwt.jwksUrl is required" $g.jwt.jwksUrl | quote }}
- name: MP_JWT_VERIFY_ISSUER
  value: {{ required "global.jwt.issuer is required" $g.jwt.issuer | quote }}
{{- if has "workflow" $connects }}
- name: BULWARK_WORKFLOW_URL
  value: {{ required "global.workflowUrl is required" $g.workflowUrl | quote }}
{{- end }}
{{- with $svc.issuerKeys }}
- name: BULWARK_ISSUER_PRIVATE_KEY
  value: {{ printf "%s/private.pem" .mountPath | quote }}
- name: BULWARK_ISSUER_PUBLIC_KEY
  value: {{ printf "%s/public.pem" .mountPath | quote }}
{{- if .previousPublicKeys }}
- name: BULWARK_ISSUER_PREVIOUS_PUBLIC_KEYS
  value: {{ $mount := .mountPath }}{{ range $i, $file := .previousPublicKeys }}{{ if $i }},{{ end }}{{ $mount }}/{{ $file }}{{ end }}
{{- end }}
{{- end }}
{{- if and $svc.persistence $svc.persistence.enabled }}
- name: {{ $svc.persistence.envName }}
  value: {{ $svc.persistence.mountPath | quote }}
{{- end }}
{{- with $svc.bootstrapAdmin }}
- name: BULWARK_BOOTSTRAP_ADMIN_EMAIL
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret | quote }}
      key: email
      optional: true
- name: BULWARK_BOOTSTRAP_ADMIN_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret | quote }}
      key: password
      optional: true
{{- end }}
{{- with $g.env }}
{{ toYaml . }}
{{- end }}
{{- with $svc.env }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* An HTTP probe on the "http" port: `path` becomes httpGet.path, every other field is copied as it is. */}}
{{- define "bulwark.httpProbe" -}}
httpGet:
  path: {{ .probe.path | default .defaultPath }}
  port: http
{{- with omit .probe "path" }}
{{ toYaml . }}
{{- end }}
{{- end }}
