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
    const key = new kms.Key(this, 'DataKey', {
      description: 'radstruct reports and results in S3',
      enableKeyRotation: true,
      removalPolicy,
    })
    // the queues have their own key: S3 notifications need a grant on it that names the drop bucket,
    // which with one key would make the bucket and the key depend on each other
    const queueKey = new kms.Key(this, 'QueueKey', {
      description: 'radstruct work queue',
      enableKeyRotation: true,
      removalPolicy,
    })

    const bucket = (name: string, lifecycle: s3.LifecycleRule[]) =>
      new s3.Bucket(this, name, {
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
    const rawDays = Duration.days(props.rawRetentionDays ?? 90)
    const raw = bucket('RawBucket', [{ expiration: rawDays }])
    const drop = bucket('DropBucket', [{ prefix: 'drop/', expiration: rawDays }])
    const results = bucket('ResultsBucket', [
      {
        transitions: [
          { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(90) },
        ],
      },
    ])
    const models = bucket('ModelsBucket', [])

    this.deadLetters = new sqs.Queue(this, 'WorkDeadLetters', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: queueKey,
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
    })
    const maxReceives = 5
    this.workQueue = new sqs.Queue(this, 'WorkQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: queueKey,
      visibilityTimeout: Duration.seconds(120),
      retentionPeriod: Duration.days(4),
      receiveMessageWaitTime: Duration.seconds(20),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: maxReceives },
      enforceSSL: true,
    })
    drop.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SqsDestination(this.workQueue), {
      prefix: 'drop/',
    })

    const alarms = [
      new cloudwatch.Alarm(this, 'DeadLettersAlarm', {
        alarmDescription:
          'Reports failed after every retry: see the dead-letter queue and failures/ in the results bucket',
        metric: this.deadLetters.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(1),
        }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      new cloudwatch.Alarm(this, 'BacklogAgeAlarm', {
        alarmDescription:
          'The oldest report has waited over an hour: workers are not keeping up or not starting',
        metric: this.workQueue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5) }),
        threshold: 3600,
        evaluationPeriods: 3,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    ]

    // GPU workers: public subnets without inbound rules (they reach SQS, S3 and the edge's HTTPS
    // events endpoint; no NAT gateway to pay for), ECS-optimised GPU AMI, scaled by a capacity provider
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }],
      gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
    })
    const cluster = new ecs.Cluster(this, 'Cluster', {
      vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    })
    const maxWorkers = props.maxWorkers ?? 4
    const asg = new autoscaling.AutoScalingGroup(this, 'GpuInstances', {
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      associatePublicIpAddress: true,
      instanceType: new ec2.InstanceType(props.gpuInstanceType ?? 'g6.xlarge'),
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
    const capacity = new ecs.AsgCapacityProvider(this, 'GpuCapacity', {
      autoScalingGroup: asg,
      enableManagedTerminationProtection: false,
    })
    cluster.addAsgCapacityProvider(capacity)

    const repository = new ecr.Repository(this, 'WorkerImages', {
      imageScanOnPush: true,
      encryption: ecr.RepositoryEncryption.KMS,
      removalPolicy,
      emptyOnDelete: !production,
    })
    const eventsSecret = new secretsmanager.Secret(this, 'EventsSecret', {
      description: 'Signs result events from the worker to the edge (EVENTS_SECRET on both sides)',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    })
    const task = new ecs.Ec2TaskDefinition(this, 'WorkerTask')
    // the encoder's folder (encoder.json, encoder.onnx, heads.onnx); the image also carries it
    const modelKey = 'encoder-cmr52/'
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
        QUEUE_URL: this.workQueue.queueUrl,
        RESULTS_URI: `s3://${results.bucketName}/`,
        MODEL: `s3://${models.bucketName}/${modelKey}`,
        MAX_RECEIVES: String(maxReceives),
        VISIBILITY_TIMEOUT: '120',
        AWS_REGION: this.region,
        ...(props.eventsUrl ? { EVENTS_URL: props.eventsUrl } : {}),
      },
      secrets: { EVENTS_SECRET: ecs.Secret.fromSecretsManager(eventsSecret) },
    })
    // least privilege: its queue, reading raw reports, dropped files and the model, writing results
    this.workQueue.grantConsumeMessages(task.taskRole)
    raw.grantRead(task.taskRole)
    drop.grantRead(task.taskRole, 'drop/*')
    models.grantRead(task.taskRole, modelKey)
    results.grantReadWrite(task.taskRole)

    const service = new ecs.Ec2Service(this, 'Worker', {
      cluster,
      taskDefinition: task,
      desiredCount: 0,
      minHealthyPercent: 0,
      capacityProviderStrategies: [{ capacityProvider: capacity.capacityProviderName, weight: 1 }],
      circuitBreaker: { rollback: true },
    })
    // Scaling on backlog: reports waiting or in flight. Target tracking cannot leave zero tasks, so
    // a step policy sets the exact worker count: 0 when the queue is empty, then one worker per
    // `perWorker` reports waiting (a worker's ~10 minutes of work), up to maxWorkers.
    const backlog = new cloudwatch.MathExpression({
      expression: 'visible + inflight',
      usingMetrics: {
        visible: this.workQueue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(1),
        }),
        inflight: this.workQueue.metricApproximateNumberOfMessagesNotVisible({
          period: Duration.minutes(1),
        }),
      },
      period: Duration.minutes(1),
    })
    const perWorker = 10 * (props.reportsPerWorkerMinute ?? 300)
    const steps: appscaling.ScalingInterval[] = [{ upper: 0, change: 0 }]
    for (let n = 1; n <= maxWorkers; n++)
      steps.push({
        lower: n === 1 ? 1 : (n - 1) * perWorker,
        ...(n < maxWorkers ? { upper: n * perWorker } : {}),
        change: n,
      })
    service
      .autoScaleTaskCount({ minCapacity: 0, maxCapacity: maxWorkers })
      .scaleOnMetric('Backlog', {
        metric: backlog,
        scalingSteps: steps,
        adjustmentType: appscaling.AdjustmentType.EXACT_CAPACITY,
        cooldown: Duration.minutes(2),
        evaluationPeriods: 1,
      })

    // The edge (Cloudflare Worker) calls AWS with these keys: it may send to the queue, read
    // results and read dropped files, nothing else. The secret key goes to Secrets Manager, never to an output.
    const edgeUser = new iam.User(this, 'EdgeUser')
    this.workQueue.grantSendMessages(edgeUser)
    results.grantRead(edgeUser)
    // a dropped file is taken in by the edge's intake, which reads it from the drop folder
    drop.grantRead(edgeUser, 'drop/*')
    const edgeKey = new iam.AccessKey(this, 'EdgeAccessKey', { user: edgeUser })
    const edgeSecret = new secretsmanager.Secret(this, 'EdgeCredentials', {
      description: 'AWS_SECRET_ACCESS_KEY for the edge (wrangler secret put AWS_SECRET_ACCESS_KEY)',
      secretStringValue: edgeKey.secretAccessKey,
    })

    const out = (name: string, value: string, description: string) =>
      new CfnOutput(this, name, { value, description })
    out('SqsQueueUrl', this.workQueue.queueUrl, 'wrangler.toml [vars] SQS_QUEUE_URL')
    out(
      'ResultsEndpoint',
      `https://s3.${this.region}.amazonaws.com`,
      'wrangler.toml [vars] RESULTS_ENDPOINT',
    )
    out('ResultsBucketName', results.bucketName, 'wrangler.toml [vars] RESULTS_BUCKET')
    out('AwsRegion', this.region, 'wrangler.toml [vars] AWS_REGION')
    out('EdgeAccessKeyId', edgeKey.accessKeyId, 'wrangler secret put AWS_ACCESS_KEY_ID')
    out(
      'EdgeSecretArn',
      edgeSecret.secretArn,
      'the edge secret key: wrangler secret put AWS_SECRET_ACCESS_KEY',
    )
    out(
      'EventsSecretArn',
      eventsSecret.secretArn,
      'wrangler secret put EVENTS_SECRET (same value as the worker)',
    )
    out('DropFolder', `s3://${drop.bucketName}/drop/<site>/`, 'where sites drop report files')
    out(
      'ModelLocation',
      `s3://${models.bucketName}/${modelKey}`,
      'upload the encoder folder here (aws s3 cp --recursive models/encoder-cmr52 ...)',
    )
    out(
      'WorkerImageRepository',
      repository.repositoryUri,
      'docker push the worker image (inference-gpu/Dockerfile) here',
    )
    out('RawBucketName', raw.bucketName, 'raw report archive')
    out('Alarms', alarms.map((a) => a.alarmName).join(','), 'subscribe an SNS topic for on-call')
  }
}
