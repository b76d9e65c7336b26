/**
 * The AWS side of one radstruct deployment: buckets (raw, drop folder, results, models), the work
 * queue with its dead-letter queue and alarms, drop-folder notifications, the GPU worker on ECS
 * (EC2 GPU instances) scaled on queue backlog to and from zero, least-privilege roles, and the
 * outputs that wrangler.toml needs.
 *
 * Why ECS rather than EKS with KEDA: one service and one capacity provider do the job, with no
 * cluster control plane to pay for ($73/month per EKS cluster) or to upgrade, and CDK models it
 * natively. KEDA's advantage (scale-to-zero on queue length) is had here with a step policy.
 */
import {
  aws_applicationautoscaling as appscaling,
  aws_autoscaling as autoscaling,
  CfnOutput,
  aws_cloudwatch as cloudwatch,
  Duration,
  aws_ec2 as ec2,
  aws_ecr as ecr,
  aws_ecs as ecs,
  aws_iam as iam,
  aws_kms as kms,
  aws_logs as logs,
  RemovalPolicy,
  Stack,
  type StackProps,
  aws_s3 as s3,
  aws_s3_notifications as s3n,
  aws_secretsmanager as secretsmanager,
  aws_sqs as sqs,
} from 'aws-cdk-lib'
import type { Construct } from 'constructs'

export interface RadstructStackProps extends StackProps {
  stage: 'dev' | 'staging' | 'production'
  /** GPU instance type for the worker, e.g. g6.xlarge (one L4) or p5.4xlarge (one H100). */
  gpuInstanceType?: string
  /** Most GPU workers at once. */
  maxWorkers?: number
  /** Reports one worker clears per minute (from `npm run bench` on the chosen GPU): sizes the scaling steps. */
  reportsPerWorkerMinute?: number
  /** The edge's /v1/events URL, for signed result events. */
  eventsUrl?: string
  /** Days a raw report or dropped file is kept. */
  rawRetentionDays?: number
}

export class RadstructStack extends Stack {
  readonly workQueue: sqs.Queue
  readonly deadLetters: sqs.Queue

  constructor(scope: Construct, id: string, props: RadstructStackProps) {
    super(scope, id, props)
    const production = props.stage === 'production'
    const removalPolicy = production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY
    const store = storage(this, production, removalPolicy, props.rawRetentionDays ?? 90)
    const queues = workQueues(this, removalPolicy)
    this.workQueue = queues.work
    this.deadLetters = queues.deadLetters
    store.drop.addEventNotification(
      s3.EventType.OBJECT_CREATED,
      new s3n.SqsDestination(queues.work),
      { prefix: 'drop/' },
    )
    const alarms = queueAlarms(this, queues)
    const maxWorkers = props.maxWorkers ?? 4
    const worker = workerService(this, props, store, queues, removalPolicy, maxWorkers)
    scaleOnBacklog(
      worker.service,
      queues.work,
      maxWorkers,
      10 * (props.reportsPerWorkerMinute ?? 300),
    )
    const edge = edgeAccess(this, store, queues)
    const out = (name: string, value: string, description: string) =>
      new CfnOutput(this, name, { value, description })
    out('SqsQueueUrl', queues.work.queueUrl, 'wrangler.toml [vars] SQS_QUEUE_URL')
    out(
      'ResultsEndpoint',
      `https://s3.${this.region}.amazonaws.com`,
      'wrangler.toml [vars] RESULTS_ENDPOINT',
    )
    out('ResultsBucketName', store.results.bucketName, 'wrangler.toml [vars] RESULTS_BUCKET')
    out('AwsRegion', this.region, 'wrangler.toml [vars] AWS_REGION')
    out('EdgeAccessKeyId', edge.key.accessKeyId, 'wrangler secret put AWS_ACCESS_KEY_ID')
    out(
      'EdgeSecretArn',
      edge.secret.secretArn,
      'the edge secret key: wrangler secret put AWS_SECRET_ACCESS_KEY',
    )
    out(
      'EventsSecretArn',
      worker.eventsSecret.secretArn,
      'wrangler secret put EVENTS_SECRET (same value as the worker)',
    )
    out('DropFolder', `s3://${store.drop.bucketName}/drop/<site>/`, 'where sites drop report files')
    out(
      'ModelLocation',
      `s3://${store.models.bucketName}/${modelKey}`,
      'upload the encoder folder here (aws s3 cp --recursive models/encoder-cmr52 ...)',
    )
    out(
      'WorkerImageRepository',
      worker.repository.repositoryUri,
      'docker push the worker image (inference-gpu/Dockerfile) here',
    )
    out('RawBucketName', store.raw.bucketName, 'raw report archive')
    out('Alarms', alarms.map((a) => a.alarmName).join(','), 'subscribe an SNS topic for on-call')
  }
}

/** The encoder's folder (encoder.json, encoder.onnx, heads.onnx) in the models bucket; the
 * worker image also carries it. */
const modelKey = 'encoder-cmr52/'
const maxReceives = 5

interface Storage {
  raw: s3.Bucket
  drop: s3.Bucket
  results: s3.Bucket
  models: s3.Bucket
}

/** The buckets, encrypted with one key, versioned, private, TLS only. */
function storage(
  scope: Construct,
  production: boolean,
  removalPolicy: RemovalPolicy,
  rawRetentionDays: number,
): Storage {
  const key = new kms.Key(scope, 'DataKey', {
    description: 'radstruct reports and results in S3',
    enableKeyRotation: true,
    removalPolicy,
  })
  const bucket = (name: string, lifecycle: s3.LifecycleRule[]) =>
    new s3.Bucket(scope, name, {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy,
      autoDeleteObjects: !production,
      lifecycleRules: [
        {
          abortIncompleteMultipartUploadAfter: Duration.days(7),
          noncurrentVersionExpiration: Duration.days(30),
        },
        ...lifecycle,
      ],
    })
  const rawDays = Duration.days(rawRetentionDays)
  return {
    raw: bucket('RawBucket', [{ expiration: rawDays }]),
    drop: bucket('DropBucket', [{ prefix: 'drop/', expiration: rawDays }]),
    results: bucket('ResultsBucket', [
      {
        transitions: [
          { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(90) },
        ],
      },
    ]),
    models: bucket('ModelsBucket', []),
  }
}

interface Queues {
  work: sqs.Queue
  deadLetters: sqs.Queue
}

/** The work queue and its dead letters. They have their own key: S3 notifications need a grant
 * on it that names the drop bucket, which with one key would make the bucket and the key depend
 * on each other. */
function workQueues(scope: Construct, removalPolicy: RemovalPolicy): Queues {
  const queueKey = new kms.Key(scope, 'QueueKey', {
    description: 'radstruct work queue',
    enableKeyRotation: true,
    removalPolicy,
  })
  const deadLetters = new sqs.Queue(scope, 'WorkDeadLetters', {
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: queueKey,
    retentionPeriod: Duration.days(14),
    enforceSSL: true,
  })
  const work = new sqs.Queue(scope, 'WorkQueue', {
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: queueKey,
    visibilityTimeout: Duration.seconds(120),
    retentionPeriod: Duration.days(4),
    receiveMessageWaitTime: Duration.seconds(20),
    deadLetterQueue: { queue: deadLetters, maxReceiveCount: maxReceives },
    enforceSSL: true,
  })
  return { work, deadLetters }
}

function queueAlarms(scope: Construct, q: Queues): cloudwatch.Alarm[] {
  return [
    new cloudwatch.Alarm(scope, 'DeadLettersAlarm', {
      alarmDescription:
        'Reports failed after every retry: see the dead-letter queue and failures/ in the results bucket',
      metric: q.deadLetters.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
    new cloudwatch.Alarm(scope, 'BacklogAgeAlarm', {
      alarmDescription:
        'The oldest report has waited over an hour: workers are not keeping up or not starting',
      metric: q.work.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5) }),
      threshold: 3600,
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
  ]
}

/** GPU instances for the workers: public subnets without inbound rules (they reach SQS, S3 and
 * the edge's HTTPS events endpoint; no NAT gateway to pay for), the ECS-optimised GPU AMI, scaled
 * by a capacity provider. */
function gpuCluster(scope: Construct, instanceType: string, maxWorkers: number) {
  const vpc = new ec2.Vpc(scope, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }],
    gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
  })
  const cluster = new ecs.Cluster(scope, 'Cluster', {
    vpc,
    containerInsightsV2: ecs.ContainerInsights.ENABLED,
  })
  const asg = new autoscaling.AutoScalingGroup(scope, 'GpuInstances', {
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    associatePublicIpAddress: true,
    instanceType: new ec2.InstanceType(instanceType),
    machineImage: ecs.EcsOptimizedImage.amazonLinux2023(ecs.AmiHardwareType.GPU),
    minCapacity: 0,
    maxCapacity: maxWorkers,
    requireImdsv2: true,
    blockDevices: [
      {
        deviceName: '/dev/xvda',
        volume: autoscaling.BlockDeviceVolume.ebs(100, { encrypted: true }),
      },
    ],
  })
  const capacity = new ecs.AsgCapacityProvider(scope, 'GpuCapacity', {
    autoScalingGroup: asg,
    enableManagedTerminationProtection: false,
  })
  cluster.addAsgCapacityProvider(capacity)
  return { cluster, capacity }
}

/** The worker: its image repository, task (one GPU, the queue, the model, the events secret)
 * and service, starting at zero tasks. */
function workerService(
  scope: Construct,
  props: RadstructStackProps,
  store: Storage,
  queues: Queues,
  removalPolicy: RemovalPolicy,
  maxWorkers: number,
) {
  const { cluster, capacity } = gpuCluster(scope, props.gpuInstanceType ?? 'g6.xlarge', maxWorkers)
  const repository = new ecr.Repository(scope, 'WorkerImages', {
    imageScanOnPush: true,
    encryption: ecr.RepositoryEncryption.KMS,
    removalPolicy,
    emptyOnDelete: removalPolicy !== RemovalPolicy.RETAIN,
  })
  const eventsSecret = new secretsmanager.Secret(scope, 'EventsSecret', {
    description: 'Signs result events from the worker to the edge (EVENTS_SECRET on both sides)',
    generateSecretString: { passwordLength: 48, excludePunctuation: true },
  })
  const task = new ecs.Ec2TaskDefinition(scope, 'WorkerTask')
  task.addContainer('worker', {
    image: ecs.ContainerImage.fromEcrRepository(repository, 'latest'),
    gpuCount: 1,
    memoryReservationMiB: 8192,
    logging: ecs.LogDrivers.awsLogs({
      streamPrefix: 'worker',
      logRetention: logs.RetentionDays.ONE_MONTH,
    }),
    stopTimeout: Duration.seconds(120),
    healthCheck: {
      command: [
        'CMD-SHELL',
        'node -e "fetch(\'http://127.0.0.1:9464/healthz\').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"',
      ],
      interval: Duration.seconds(30),
      startPeriod: Duration.minutes(5),
    },
    environment: {
      QUEUE_URL: queues.work.queueUrl,
      RESULTS_URI: `s3://${store.results.bucketName}/`,
      MODEL: `s3://${store.models.bucketName}/${modelKey}`,
      MAX_RECEIVES: String(maxReceives),
      VISIBILITY_TIMEOUT: '120',
      AWS_REGION: Stack.of(scope).region,
      ...(props.eventsUrl ? { EVENTS_URL: props.eventsUrl } : {}),
    },
    secrets: { EVENTS_SECRET: ecs.Secret.fromSecretsManager(eventsSecret) },
  })
  // least privilege: its queue and the model to read, results to write. A dropped file's
  // notification is relayed to the edge, which reads the file itself: the worker never does.
  queues.work.grantConsumeMessages(task.taskRole)
  store.models.grantRead(task.taskRole, modelKey)
  store.results.grantReadWrite(task.taskRole)
  const service = new ecs.Ec2Service(scope, 'Worker', {
    cluster,
    taskDefinition: task,
    desiredCount: 0,
    minHealthyPercent: 0,
    capacityProviderStrategies: [{ capacityProvider: capacity.capacityProviderName, weight: 1 }],
    circuitBreaker: { rollback: true },
  })
  return { service, repository, eventsSecret }
}

/**
 * Scaling on backlog: reports waiting or in flight. Target tracking cannot leave zero tasks, so
 * a step policy sets the exact worker count: 0 when the queue is empty, then one worker per
 * `perWorker` reports waiting (a worker's ~10 minutes of work), up to maxWorkers.
 */
function scaleOnBacklog(
  service: ecs.Ec2Service,
  work: sqs.Queue,
  maxWorkers: number,
  perWorker: number,
): void {
  const backlog = new cloudwatch.MathExpression({
    expression: 'visible + inflight',
    usingMetrics: {
      visible: work.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
      inflight: work.metricApproximateNumberOfMessagesNotVisible({ period: Duration.minutes(1) }),
    },
    period: Duration.minutes(1),
  })
  const steps: appscaling.ScalingInterval[] = [{ upper: 0, change: 0 }]
  for (let n = 1; n <= maxWorkers; n++)
    steps.push({
      lower: n === 1 ? 1 : (n - 1) * perWorker,
      ...(n < maxWorkers ? { upper: n * perWorker } : {}),
      change: n,
    })
  service.autoScaleTaskCount({ minCapacity: 0, maxCapacity: maxWorkers }).scaleOnMetric('Backlog', {
    metric: backlog,
    scalingSteps: steps,
    adjustmentType: appscaling.AdjustmentType.EXACT_CAPACITY,
    cooldown: Duration.minutes(2),
    evaluationPeriods: 1,
  })
}

/** The edge (a Cloudflare Worker) calls AWS with these keys: it may send to the queue, read
 * results and read dropped files, nothing else. The secret key goes to Secrets Manager, never to
 * an output. */
function edgeAccess(scope: Construct, store: Storage, queues: Queues) {
  const user = new iam.User(scope, 'EdgeUser')
  queues.work.grantSendMessages(user)
  store.results.grantRead(user)
  // a dropped file is taken in by the edge's intake, which reads it from the drop folder
  store.drop.grantRead(user, 'drop/*')
  const key = new iam.AccessKey(scope, 'EdgeAccessKey', { user })
  const secret = new secretsmanager.Secret(scope, 'EdgeCredentials', {
    description: 'AWS_SECRET_ACCESS_KEY for the edge (wrangler secret put AWS_SECRET_ACCESS_KEY)',
    secretStringValue: key.secretAccessKey,
  })
  return { key, secret }
}
