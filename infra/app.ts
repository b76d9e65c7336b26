/** The CDK app: one stack per stage. `npm run infra:synth` writes the templates offline (no
 * CDK CLI needed: the app synthesises itself); `npx aws-cdk deploy --app "node infra/app.ts"
 * radstruct-production` deploys (docs/deploy.md). */
import { App } from 'aws-cdk-lib'
import { RadstructStack } from './stack.ts'

// the CDK CLI sets CDK_OUTDIR when it runs the app; run alone, the templates go to .cache/cdk.out
const app = new App({ outdir: process.env.CDK_OUTDIR ?? '.cache/cdk.out' })
const account = process.env.CDK_DEFAULT_ACCOUNT
const region = process.env.CDK_DEFAULT_REGION
for (const stage of ['dev', 'staging', 'production'] as const)
  new RadstructStack(app, `radstruct-${stage}`, {
    stage,
    ...(account && region ? { env: { account, region } } : {}),
    gpuInstanceType:
      app.node.tryGetContext(`${stage}:gpuInstanceType`) ??
      (stage === 'production' ? 'g6.xlarge' : 'g6.xlarge'),
    maxWorkers: Number(
      app.node.tryGetContext(`${stage}:maxWorkers`) ?? (stage === 'production' ? 8 : 1),
    ),
    ...(app.node.tryGetContext(`${stage}:eventsUrl`)
      ? { eventsUrl: app.node.tryGetContext(`${stage}:eventsUrl`) }
      : {}),
  })
app.synth()
