/** The synthesised CloudFormation template (offline, in-process) has the properties the deployment
 * depends on: encryption, dead letters, drop-folder notifications, scaling to and from zero,
 * least-privilege roles, nothing public. */
import { App, assertions } from 'aws-cdk-lib'
import { beforeAll, describe, expect, it } from 'vitest'
import { RadstructStack } from '../../infra/stack.ts'

type Resource = { Type: string; Properties: Record<string, unknown> }
let template: assertions.Template
let resources: Record<string, Resource>
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type)
const logicalId = (prefix: string) =>
  Object.keys(resources).find((k) => k.startsWith(prefix)) as string

beforeAll(() => {
  const app = new App({ outdir: undefined })
  const stack = new RadstructStack(app, 'radstruct-test', {
    stage: 'production',
    maxWorkers: 4,
    reportsPerWorkerMinute: 100,
  })
  template = assertions.Template.fromStack(stack)
  resources = template.toJSON().Resources
}, 60_000)

describe('buckets', () => {
  it('every bucket is KMS-encrypted, versioned, blocks public access, has lifecycle rules and refuses plain HTTP', () => {
    const buckets = ofType('AWS::S3::Bucket')
    expect(buckets.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
      'DropBucket',
      'ModelsBucket',
      'RawBucket',
      'ResultsBucket',
    ])
    for (const [id, b] of buckets) {
      const p = b.Properties as Record<string, any>
      expect(
        p.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault
          .SSEAlgorithm,
        id,
      ).toBe('aws:kms')
      expect(p.VersioningConfiguration, id).toEqual({ Status: 'Enabled' })
      expect(p.PublicAccessBlockConfiguration, id).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      })
      expect(p.LifecycleConfiguration.Rules.length, id).toBeGreaterThan(0)
      const policy = ofType('AWS::S3::BucketPolicy').find(([, r]) =>
        JSON.stringify(r.Properties.Bucket).includes(id),
      )
      expect(JSON.stringify(policy?.[1].Properties), id).toContain('"aws:SecureTransport":"false"')
    }
  })

  it('raw reports and dropped files expire; results move to infrequent access', () => {
    const rules = (prefix: string) =>
      ((resources[logicalId(prefix)] as Resource).Properties.LifecycleConfiguration as any).Rules
    expect(rules('RawBucket')).toContainEqual(
      expect.objectContaining({ ExpirationInDays: 90, Status: 'Enabled' }),
    )
    expect(rules('DropBucket')).toContainEqual(
      expect.objectContaining({ ExpirationInDays: 90, Prefix: 'drop/' }),
    )
    expect(rules('ResultsBucket')).toContainEqual(
      expect.objectContaining({
        Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 90 }],
      }),
    )
  })
})

describe('queues', () => {
  it('the work queue is encrypted and redrives to a dead-letter queue after 5 receives, with alarms', () => {
    const work = resources[logicalId('WorkQueue')]?.Properties as any
    expect(work.KmsMasterKeyId).toBeDefined()
    expect(work.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [logicalId('WorkDeadLetters'), 'Arn'] },
      maxReceiveCount: 5,
    })
    expect(
      (resources[logicalId('WorkDeadLetters')] as Resource).Properties.KmsMasterKeyId,
    ).toBeDefined()
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        { Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId('WorkDeadLetters'), 'QueueName'] } },
      ],
      Threshold: 1,
    })
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
    })
  })

  it('objects created under drop/ notify the work queue', () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: logicalId('DropBucket') },
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'drop/' }] } },
            QueueArn: { 'Fn::GetAtt': [logicalId('WorkQueue'), 'Arn'] },
          },
        ],
      },
    })
  })
})

describe('the GPU worker', () => {
  it('runs on GPU instances, one GPU per task, from zero', () => {
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [
        assertions.Match.objectLike({ ResourceRequirements: [{ Type: 'GPU', Value: '1' }] }),
      ],
    })
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      MinSize: '0',
      MaxSize: '4',
    })
    template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 0 })
  })

  it('scales on backlog with a step policy that can reach zero and leave it', () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 0,
      MaxCapacity: 4,
    })
    // CDK splits the steps into a lower policy (to zero) and an upper one, each with its alarm
    const steps = ofType('AWS::ApplicationAutoScaling::ScalingPolicy')
      .map(([, r]) => (r.Properties as any).StepScalingPolicyConfiguration)
      .filter((c) => c?.AdjustmentType === 'ExactCapacity')
      .flatMap(
        (c) =>
          c.StepAdjustments as { ScalingAdjustment: number; MetricIntervalUpperBound?: number }[],
      )
    expect(steps).toContainEqual({ MetricIntervalUpperBound: 0, ScalingAdjustment: 0 })
    expect(steps.map((s) => s.ScalingAdjustment).sort()).toEqual([0, 1, 2, 3, 4])
    // target tracking cannot leave zero tasks: there is none
    expect(
      ofType('AWS::ApplicationAutoScaling::ScalingPolicy').some(
        ([, r]) => (r.Properties as any).PolicyType === 'TargetTrackingScaling',
      ),
    ).toBe(false)
    // the alarm behind the step policy watches waiting + in-flight reports
    const alarms = JSON.stringify(ofType('AWS::CloudWatch::Alarm'))
    expect(alarms).toContain('visible + inflight')
  })
})

describe('least privilege', () => {
  const statementsOf = (rolePrefix: string) =>
    ofType('AWS::IAM::Policy')
      .filter(([, r]) =>
        JSON.stringify((r.Properties as any).Roles ?? (r.Properties as any).Users ?? []).includes(
          rolePrefix,
        ),
      )
      .flatMap(
        ([, r]) =>
          (r.Properties as any).PolicyDocument.Statement as {
            Action: string | string[]
            Resource: unknown
          }[],
      )
  const actions = (s: { Action: string | string[] }[]) =>
    s.flatMap((x) => (Array.isArray(x.Action) ? x.Action : [x.Action]))

  it('the worker reads its queue and the model, and writes results: nothing else (no raw reports, no dropped files)', () => {
    const st = statementsOf('WorkerTaskTaskRole')
    const a = new Set(actions(st))
    for (const x of a)
      expect(x, x).toMatch(
        /^(sqs:(ReceiveMessage|ChangeMessageVisibility|GetQueueUrl|DeleteMessage|GetQueueAttributes)|s3:(GetObject.*|GetBucket.*|List.*|PutObject.*|Abort.*|DeleteObject.*)|kms:(Decrypt|Encrypt|ReEncrypt.*|GenerateDataKey.*|DescribeKey))$/,
      )
    expect(a.has('sqs:SendMessage')).toBe(false)
    // no statement applies to every resource
    for (const s of st) expect(s.Resource, JSON.stringify(s)).not.toBe('*')
    const on = (bucket: string) =>
      st.filter((s) => JSON.stringify(s.Resource).includes(logicalId(bucket)))
    // a dropped file is relayed to the edge, which reads it: the worker never reads the folder
    expect(on('DropBucket')).toEqual([])
    expect(on('RawBucket')).toEqual([])
    expect(JSON.stringify(on('ModelsBucket'))).toContain('encoder-cmr52/')
    expect(actions(on('ResultsBucket'))).toContain('s3:PutObject')
  })

  it('the edge may send to the queue, read results and read dropped files, nothing else', () => {
    const st = statementsOf('EdgeUser')
    // the dropped files it reads: those under drop/ of the drop bucket
    const reads = JSON.stringify(
      st.filter((s) => JSON.stringify(s.Resource).includes(logicalId('DropBucket'))),
    )
    expect(reads).toContain('drop/*')
    const a = new Set(actions(st))
    for (const x of a)
      expect(x, x).toMatch(
        /^(sqs:(SendMessage|GetQueueAttributes|GetQueueUrl)|s3:(GetObject.*|GetBucket.*|List.*)|kms:(Decrypt|Encrypt|ReEncrypt.*|GenerateDataKey.*|DescribeKey))$/,
      )
    expect(a.has('sqs:SendMessage')).toBe(true)
    for (const s of st) expect(s.Resource).not.toBe('*')
  })

  it('nothing is public: no open bucket policy, no inbound rule from anywhere, no secret in an output', () => {
    for (const [, p] of ofType('AWS::S3::BucketPolicy'))
      for (const s of (p.Properties as any).PolicyDocument.Statement)
        if (s.Effect === 'Allow') expect(s.Principal, JSON.stringify(s)).not.toBe('*')
    for (const [, g] of ofType('AWS::EC2::SecurityGroup'))
      expect((g.Properties as any).SecurityGroupIngress ?? []).toEqual([])
    const outputs = JSON.stringify(template.toJSON().Outputs)
    expect(outputs).not.toContain('SecretAccessKey')
    for (const name of [
      'SqsQueueUrl',
      'ResultsEndpoint',
      'ResultsBucketName',
      'EdgeAccessKeyId',
      'EdgeSecretArn',
      'ModelLocation',
    ])
      expect(template.toJSON().Outputs[name], name).toBeDefined()
  })
})
