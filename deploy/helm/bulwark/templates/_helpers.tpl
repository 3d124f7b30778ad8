{{/*
The services of the suite: keys of their value blocks, in deployment order. The templates range over this list; a
service's resource and container names are its key in kebab case (workflowService -> workflow-service).
*/}}
{{- define "bulwark.serviceKeys" -}}
workflowService workerAgent backboneService relayService dispatcherService orchestratorService
{{- end }}

{{/* Services that keep no state of their own in the pod: they may be scaled out and autoscaled. */}}
{{- define "bulwark.statelessKeys" -}}
workflowService workerAgent backboneService relayService dispatcherService
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

{{/* Name of a release-wide object: "<fullname>-<suffix>". Takes a list: root, suffix. */}}
{{- define "bulwark.prefixed" -}}
{{- printf "%s-%s" (include "bulwark.fullname" (index . 0)) (index . 1) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of release-wide objects (Secrets). */}}
{{- define "bulwark.releaseLabels" -}}
helm.sh/chart: {{ include "bulwark.chart" . }}
app.kubernetes.io/name: {{ include "bulwark.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: bulwark
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
The helpers below take a dict: root (the top context) and key (the service's values key).
*/}}

{{/* Component name of a service: its key in kebab case. */}}
{{- define "bulwark.component" -}}
{{- kebabcase .key }}
{{- end }}

{{/* Name of a service's Deployment, Service and host name: "<fullname>-<component>". */}}
{{- define "bulwark.componentFullname" -}}
{{- printf "%s-%s" (include "bulwark.fullname" .root) (include "bulwark.component" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* In-cluster base URL of a service: http://<fullname>-<component>:<port>. */}}
{{- define "bulwark.url" -}}
{{- $svc := index .root.Values .key }}
{{- printf "http://%s:%d" (include "bulwark.componentFullname" .) ($svc.port | int) }}
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

{{/* --- Secret names: the existing Secret if given, else the release-prefixed one the chart creates. ---------- */}}
{{- define "bulwark.secret.postgres" -}}
{{- .Values.global.postgres.existingSecret | default (include "bulwark.prefixed" (list . "postgresql")) }}
{{- end }}
{{- define "bulwark.secret.rabbitmq" -}}
{{- .Values.global.rabbitmq.existingSecret | default (include "bulwark.prefixed" (list . "rabbitmq")) }}
{{- end }}
{{- define "bulwark.secret.redis" -}}
{{- .Values.global.redis.existingSecret | default (include "bulwark.prefixed" (list . "redis")) }}
{{- end }}
{{- define "bulwark.secret.kafka" -}}
{{- .Values.global.kafka.sasl.existingSecret | default (include "bulwark.prefixed" (list . "kafka")) }}
{{- end }}
{{- define "bulwark.secret.issuerKeys" -}}
{{- .Values.issuerKeys.existingSecret | default (include "bulwark.prefixed" (list . "issuer-keys")) }}
{{- end }}
{{- define "bulwark.secret.bootstrapAdmin" -}}
{{- .Values.bootstrapAdmin.existingSecret | default (include "bulwark.prefixed" (list . "bootstrap-admin")) }}
{{- end }}
{{- define "bulwark.secret.credentialsMasterKey" -}}
{{- .Values.credentialsMasterKey.existingSecret | default (include "bulwark.prefixed" (list . "credentials-master-key")) }}
{{- end }}
{{- define "bulwark.secret.jobKey" -}}
{{- .Values.jobKey.existingSecret | default (include "bulwark.prefixed" (list . "job-key")) }}
{{- end }}

{{- define "bulwark.secret.webhookKey" -}}
{{- .Values.webhookKey.existingSecret | default (include "bulwark.prefixed" (list . "webhook-key")) }}
{{- end }}
{{/* A suite service account's Secret; takes a list: root, account key (workerAgent, dispatcher). */}}
{{- define "bulwark.secret.account" -}}
{{- $root := index . 0 }}
{{- $key := index . 1 }}
{{- (index $root.Values.serviceAccounts $key).existingSecret | default (include "bulwark.prefixed" (list $root (printf "%s-account" (kebabcase $key)))) }}
{{- end }}

{{/*
Does the issuer get a public key file? Only when the values give one (issuerKeys.publicKey, or publicKeyInSecret
with an existing Secret); else workflow-service derives it from private.pem.
*/}}
{{- define "bulwark.issuerPublicKey" -}}
{{- $keys := .Values.issuerKeys }}
{{- if or (and (not $keys.existingSecret) $keys.privateKey $keys.publicKey) (and $keys.existingSecret $keys.publicKeyInSecret) }}true{{ end }}
{{- end }}

{{/* Is the Redis password set (a Secret to read)? */}}
{{- define "bulwark.redisAuth" -}}
{{- if or .Values.global.redis.existingSecret .Values.global.redis.password }}true{{ end }}
{{- end }}

{{/* Public URL derived from an Ingress host, else the fallback. Takes a list: root, host, fallback. */}}
{{- define "bulwark.publicUrl" -}}
{{- $root := index . 0 }}
{{- if and $root.Values.ingress.enabled (index . 1) }}
{{- printf "%s://%s" $root.Values.publicScheme (index . 1) }}
{{- else }}
{{- index . 2 }}
{{- end }}
{{- end }}

{{/* The issuer (`iss`) and JWKS URLs every service verifies tokens with. Takes the root. */}}
{{- define "bulwark.issuerUrl" -}}
{{- .Values.global.jwt.issuer | default (include "bulwark.url" (dict "root" . "key" "workflowService")) }}
{{- end }}
{{- define "bulwark.jwksUrl" -}}
{{- .Values.global.jwt.jwksUrl | default (printf "%s/.well-known/jwks.json" (include "bulwark.url" (dict "root" . "key" "workflowService"))) }}
{{- end }}

{{- define "bulwark.revocationUrl" -}}
{{- .Values.global.jwt.revocationUrl | default (printf "%s/.well-known/revocations.json" (include "bulwark.url" (dict "root" . "key" "workflowService"))) }}
{{- end }}

{{/* Mount paths of TLS CA files. */}}
{{- define "bulwark.postgresCaPath" -}}/etc/bulwark/tls/postgres/{{ .Values.global.postgres.tls.caKey }}{{- end }}
{{- define "bulwark.kafkaCaPath" -}}/etc/bulwark/tls/kafka/{{ .Values.global.kafka.tls.caKey }}{{- end }}

{{/* What a service is wired to. */}}
{{- define "bulwark.uses" -}}
{{- $uses := dict
  "workflowService" (list "postgres" "kafka" "issuer" "accountsProvisioning")
  "workerAgent" (list "workflow" "workerAccount")
  "backboneService" (list "postgres" "rabbitmq" "issuerClient")
  "relayService" (list "postgres")
  "dispatcherService" (list "kafka" "redis" "dispatcherSuite")
  "orchestratorService" (list "postgres" "redis" "jobKey") }}
{{- index $uses .key | join " " }}
{{- end }}

{{/*
Env the chart sets on a service's container: the configuration keys the service reads (see each service's
application.properties), from the values and the Secrets. User env (extraEnv) comes after it, in the template.
*/}}
{{- define "bulwark.env" -}}
{{- $root := .root }}
{{- $g := $root.Values.global }}
{{- $svc := index $root.Values .key }}
{{- $uses := include "bulwark.uses" . | splitList " " }}
- name: QUARKUS_HTTP_PORT
  value: {{ $svc.port | int | quote }}
{{- if eq .key "workflowService" }}
- name: QUARKUS_MANAGEMENT_PORT
  value: {{ $svc.managementPort | int | quote }}
{{- end }}
- name: MP_JWT_VERIFY_PUBLICKEY_LOCATION
  value: {{ include "bulwark.jwksUrl" $root | quote }}
- name: MP_JWT_VERIFY_ISSUER
  value: {{ include "bulwark.issuerUrl" $root | quote }}
- name: BULWARK_REVOCATION_URL
  value: {{ include "bulwark.revocationUrl" $root | quote }}
{{- if $g.tracing.otlpEndpoint }}
- name: BULWARK_TRACING_OTLP_ENDPOINT
  value: {{ $g.tracing.otlpEndpoint | quote }}
{{- end }}
{{- if has "postgres" $uses }}
{{- $params := list }}
{{- if $g.postgres.sslMode }}{{ $params = append $params (printf "sslmode=%s" $g.postgres.sslMode) }}{{ end }}
{{- if $g.postgres.tls.existingSecret }}{{ $params = append $params (printf "sslrootcert=%s" (include "bulwark.postgresCaPath" $root)) }}{{ end }}
- name: QUARKUS_DATASOURCE_JDBC_URL
  value: {{ printf "jdbc:postgresql://%s:%d/%s%s" $g.postgres.host ($g.postgres.port | int) $svc.database (ternary (printf "?%s" (join "&" $params)) "" (gt (len $params) 0)) | quote }}
- name: QUARKUS_DATASOURCE_USERNAME
  value: {{ $g.postgres.user | quote }}
- name: QUARKUS_DATASOURCE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "bulwark.secret.postgres" $root | quote }}
      key: {{ $g.postgres.passwordKey | quote }}
{{- end }}
{{- if has "kafka" $uses }}
- name: KAFKA_BOOTSTRAP_SERVERS
  value: {{ $g.kafka.bootstrapServers | quote }}
- name: KAFKA_SECURITY_PROTOCOL
  value: {{ $g.kafka.securityProtocol | quote }}
{{- if hasPrefix "SASL_" $g.kafka.securityProtocol }}
- name: BULWARK_KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "bulwark.secret.kafka" $root | quote }}
      key: {{ $g.kafka.sasl.passwordKey | quote }}
- name: KAFKA_SASL_MECHANISM
  value: {{ $g.kafka.sasl.mechanism | quote }}
- name: KAFKA_SASL_JAAS_CONFIG
  value: {{ printf "%s required username=\"%s\" password=\"$(BULWARK_KAFKA_SASL_PASSWORD)\";" (ternary "org.apache.kafka.common.security.plain.PlainLoginModule" "org.apache.kafka.common.security.scram.ScramLoginModule" (eq $g.kafka.sasl.mechanism "PLAIN")) (required "global.kafka.sasl.username is required with a SASL_* securityProtocol" $g.kafka.sasl.username) | quote }}
{{- end }}
{{- if $g.kafka.tls.existingSecret }}
- name: KAFKA_SSL_TRUSTSTORE_TYPE
  value: PEM
- name: KAFKA_SSL_TRUSTSTORE_LOCATION
  value: {{ include "bulwark.kafkaCaPath" $root | quote }}
{{- end }}
{{- end }}
{{- if has "rabbitmq" $uses }}
- name: RABBITMQ_HOST
  value: {{ $g.rabbitmq.host | quote }}
- name: RABBITMQ_PORT
  value: {{ $g.rabbitmq.port | int | quote }}
- name: RABBITMQ_VIRTUAL_HOST
  value: {{ $g.rabbitmq.virtualHost | quote }}
- name: RABBITMQ_USERNAME
  value: {{ $g.rabbitmq.user | quote }}
- name: RABBITMQ_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "bulwark.secret.rabbitmq" $root | quote }}
      key: {{ $g.rabbitmq.passwordKey | quote }}
{{- with $g.rabbitmq.tls }}
{{- if .enabled }}
- name: RABBITMQ_TLS_ENABLED
  value: "true"
- name: RABBITMQ_TLS_VERIFY_HOSTNAME
  value: {{ .verifyHostname | quote }}
{{- if .existingSecret }}
- name: RABBITMQ_TLS_CA_FILE
  value: {{ printf "/etc/bulwark/tls/rabbitmq/%s" .caKey | quote }}
{{- end }}
{{- if .clientCertificate }}
{{- if not .existingSecret }}{{ fail "global.rabbitmq.tls.clientCertificate needs global.rabbitmq.tls.existingSecret (the certificate and key)" }}{{ end }}
- name: RABBITMQ_TLS_CERT_FILE
  value: {{ printf "/etc/bulwark/tls/rabbitmq/%s" .certKey | quote }}
- name: RABBITMQ_TLS_KEY_FILE
  value: {{ printf "/etc/bulwark/tls/rabbitmq/%s" .keyKey | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- if has "redis" $uses }}
- name: QUARKUS_REDIS_HOSTS
  value: {{ $g.redis.hosts | quote }}
{{- if include "bulwark.redisAuth" $root }}
- name: QUARKUS_REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "bulwark.secret.redis" $root | quote }}
      key: {{ $g.redis.passwordKey | quote }}
{{- end }}
{{- end }}
{{- if has "issuer" $uses }}
- name: BULWARK_ISSUER_PRIVATE_KEY
  value: /etc/bulwark/issuer/private.pem
{{- if include "bulwark.issuerPublicKey" $root }}
- name: BULWARK_ISSUER_PUBLIC_KEY
  value: /etc/bulwark/issuer/public.pem
{{- end }}
{{- with $root.Values.issuerKeys.previousPublicKeys }}
- name: BULWARK_ISSUER_PREVIOUS_PUBLIC_KEYS
  value: {{ range $i, $file := . }}{{ if $i }},{{ end }}/etc/bulwark/issuer/{{ $file }}{{ end }}
{{- end }}
- name: BULWARK_BOOTSTRAP_ADMIN_EMAIL
  valueFrom:
    secretKeyRef:
      name: {{ include "bulwark.secret.bootstrapAdmin" $root | quote }}
      key: email
- name: BULWARK_BOOTSTRAP_ADMIN_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "bulwark.secret.bootstrapAdmin" $root | quote }}
      key: password
- name: BULWARK_WORKFLOW_CREDENTIALS_MASTER_KEYS_{{ $root.Values.credentialsMasterKey.keyId | upper | replace "-" "_" }}
  valueFrom:
    secretKeyRef:
      name: {{ include "bulwark.secret.credentialsMasterKey" $root | quote }}
      key: {{ $root.Values.credentialsMasterKey.keyId | quote }}
- name: BULWARK_WORKFLOW_CREDENTIALS_ACTIVE_KEY_ID
  value: {{ $root.Values.credentialsMasterKey.keyId | quote }}
- name: BULWARK_WORKFLOW_TRIGGERS_PUBLIC_URL
  value: {{ include "bulwark.publicUrl" (list $root $root.Values.ingress.workflow.host (include "bulwark.issuerUrl" $root)) | quote }}
{{- end }}
{{- if has "accountsProvisioning" $uses }}
- name: BULWARK_SERVICE_ACCOUNTS_DIR
  value: {{ $root.Values.serviceAccounts.mountPath | quote }}
{{- end }}
{{- if has "workflow" $uses }}
- name: BULWARK_WORKFLOW_URL
  value: {{ include "bulwark.url" (dict "root" $root "key" "workflowService") | quote }}
{{- end }}
{{- if has "workerAccount" $uses }}
- name: BULWARK_WORKER_CLIENT_ID
  valueFrom:
    secretKeyRef:
      name: {{ include "bulwark.secret.account" (list $root "workerAgent") | quote }}
      key: client-id
- name: BULWARK_WORKER_CLIENT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ include "bulwark.secret.account" (list $root "workerAgent") | quote }}
      key: client-secret
# Each agent labels its containers with its own name, so agents sharing an engine never reap each other's.
- name: BULWARK_WORKER_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
{{- end }}
{{- if has "issuerClient" $uses }}
- name: QUARKUS_REST_CLIENT_ISSUER_URL
  value: {{ include "bulwark.url" (dict "root" $root "key" "workflowService") | quote }}
- name: BULWARK_BACKBONE_WEBHOOK_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "bulwark.secret.webhookKey" $root | quote }}
      key: key
# The dispatcher's account is a declared backbone client (send_message); only its client id, never its secret.
- name: BULWARK_BACKBONE_DECLARED_CLIENTS__DISPATCHER__SUBJECT
  valueFrom:
    secretKeyRef:
      name: {{ include "bulwark.secret.account" (list $root "dispatcher") | quote }}
      key: client-id
- name: BULWARK_BACKBONE_DECLARED_CLIENTS__DISPATCHER__PUBLISH
  value: {{ $svc.dispatcherPublish | quote }}
{{- end }}
{{- if eq .key "relayService" }}
- name: BULWARK_RELAY_PUBLIC_URL
  value: {{ $svc.publicUrl | default (include "bulwark.publicUrl" (list $root $root.Values.ingress.relay.host (include "bulwark.url" .))) | quote }}
{{- end }}
{{- if has "dispatcherSuite" $uses }}
- name: BULWARK_DISPATCHER_SUITE_ISSUER_URL
  value: {{ include "bulwark.url" (dict "root" $root "key" "workflowService") | quote }}
- name: BULWARK_DISPATCHER_SUITE_WORKFLOW_URL
  value: {{ include "bulwark.url" (dict "root" $root "key" "workflowService") | quote }}
- name: BULWARK_DISPATCHER_SUITE_BACKBONE_URL
  value: {{ include "bulwark.url" (dict "root" $root "key" "backboneService") | quote }}
- name: BULWARK_DISPATCHER_SUITE_RELAY_URL
  value: {{ include "bulwark.url" (dict "root" $root "key" "relayService") | quote }}
- name: BULWARK_DISPATCHER_SUITE_CLIENT_ID
  valueFrom:
    secretKeyRef:
      name: {{ include "bulwark.secret.account" (list $root "dispatcher") | quote }}
      key: client-id
- name: BULWARK_DISPATCHER_SUITE_CLIENT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ include "bulwark.secret.account" (list $root "dispatcher") | quote }}
      key: client-secret
{{- end }}
{{- if has "jobKey" $uses }}
- name: BULWARK_ORCHESTRATOR_JOB_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "bulwark.secret.jobKey" $root | quote }}
      key: key
{{- end }}
{{- end }}

{{/* Volumes (and their mounts) the chart needs for a service, besides /tmp. Takes the service dict. */}}
{{- define "bulwark.volumes" -}}
{{- $root := .root }}
{{- $g := $root.Values.global }}
{{- $svc := index $root.Values .key }}
{{- $uses := include "bulwark.uses" . | splitList " " }}
{{- if has "issuer" $uses }}
- name: issuer-keys
  secret:
    secretName: {{ include "bulwark.secret.issuerKeys" $root | quote }}
    defaultMode: 0440
    # Only the files the issuer reads: the public key is derived from the private one unless given.
    items:
      - {key: private.pem, path: private.pem}
      {{- if include "bulwark.issuerPublicKey" $root }}
      - {key: public.pem, path: public.pem}
      {{- end }}
      {{- range $root.Values.issuerKeys.previousPublicKeys }}
      - {key: {{ . | quote }}, path: {{ . | quote }}}
      {{- end }}
{{- end }}
{{- if has "accountsProvisioning" $uses }}
{{- range $account := list "workerAgent" "dispatcher" }}
- name: account-{{ kebabcase $account }}
  secret:
    secretName: {{ include "bulwark.secret.account" (list $root $account) | quote }}
    defaultMode: 0440
    items:
      - {key: client-id, path: client-id}
      - {key: client-secret, path: client-secret}
      - {key: roles, path: roles}
{{- end }}
{{- end }}
{{- if and (has "postgres" $uses) $g.postgres.tls.existingSecret }}
- name: postgres-tls
  secret:
    secretName: {{ $g.postgres.tls.existingSecret | quote }}
    defaultMode: 0444
{{- end }}
{{- if and (has "kafka" $uses) $g.kafka.tls.existingSecret }}
- name: kafka-tls
  secret:
    secretName: {{ $g.kafka.tls.existingSecret | quote }}
    defaultMode: 0444
{{- end }}
{{- if and (has "rabbitmq" $uses) $g.rabbitmq.tls.enabled $g.rabbitmq.tls.existingSecret }}
- name: rabbitmq-tls
  secret:
    secretName: {{ $g.rabbitmq.tls.existingSecret | quote }}
    # May hold the client key: readable by the pod's group (fsGroup) only.
    defaultMode: 0440
{{- end }}
{{- end }}

{{- define "bulwark.volumeMounts" -}}
{{- $root := .root }}
{{- $g := $root.Values.global }}
{{- $svc := index $root.Values .key }}
{{- $uses := include "bulwark.uses" . | splitList " " }}
{{- if has "issuer" $uses }}
- name: issuer-keys
  mountPath: /etc/bulwark/issuer
  readOnly: true
{{- end }}
{{- if has "accountsProvisioning" $uses }}
{{- range $account := list "workerAgent" "dispatcher" }}
- name: account-{{ kebabcase $account }}
  mountPath: {{ printf "%s/%s" $root.Values.serviceAccounts.mountPath (kebabcase $account) | quote }}
  readOnly: true
{{- end }}
{{- end }}
{{- if and (has "postgres" $uses) $g.postgres.tls.existingSecret }}
- name: postgres-tls
  mountPath: /etc/bulwark/tls/postgres
  readOnly: true
{{- end }}
{{- if and (has "kafka" $uses) $g.kafka.tls.existingSecret }}
- name: kafka-tls
  mountPath: /etc/bulwark/tls/kafka
  readOnly: true
{{- end }}
{{- if and (has "rabbitmq" $uses) $g.rabbitmq.tls.enabled $g.rabbitmq.tls.existingSecret }}
- name: rabbitmq-tls
  mountPath: /etc/bulwark/tls/rabbitmq
  readOnly: true
{{- end }}
{{- end }}

{{/* An HTTP probe on the "http" port: the path, then the timing fields from values. Takes: probe, path. */}}
{{- define "bulwark.httpProbe" -}}
httpGet:
  path: {{ .path }}
  port: http
{{- with .probe }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
A Secret value that survives upgrades: the value already in the cluster (lookup), else the generated one.
Takes a list: root, secret name, key, generated value.
*/}}
{{- define "bulwark.keptValue" -}}
{{- $root := index . 0 }}
{{- $existing := lookup "v1" "Secret" $root.Release.Namespace (index . 1) }}
{{- if and $existing $existing.data (hasKey $existing.data (index . 2)) }}
{{- index $existing.data (index . 2) }}
{{- else }}
{{- index . 3 | b64enc }}
{{- end }}
{{- end }}
