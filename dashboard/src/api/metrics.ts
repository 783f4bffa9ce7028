/** The GraphQL operations of the metrics and cost pages, typed by codegen (`npm run codegen` → src/gql). */
import { graphql } from '../gql';

export const PromptMetricsQuery = graphql(`
  query PromptMetrics($name: String!, $from: DateTime!) {
    prompt(name: $name) {
      id
      name
      revision
      metrics {
        totalCalls
      }
      labels {
        name
        version {
          id
          number
        }
      }
      versions(first: 500) {
        id
        number
        model
      }
      labelHistory(first: 500) {
        id
        label
        at
        reason
        actor {
          name
        }
        fromVersion {
          id
          number
          model
        }
        toVersion {
          id
          number
          model
        }
      }
    }
    metrics(filter: { promptName: $name, from: $from }, groupBy: [VERSION], bucket: DAY) {
      versionId
      versionNumber
      bucketStart
      totalCalls
      successRate
      p50LatencyMs
      p95LatencyMs
      p99LatencyMs
      inputTokens
      outputTokens
      qualityScore
      feedbackCount
      totalCost
    }
  }
`);

export const MetricsUpdatedSubscription = graphql(`
  subscription MetricsUpdated($promptName: String!) {
    metricsUpdated(promptName: $promptName) {
      promptName
      at
      version {
        id
        number
      }
    }
  }
`);

export const WorkspaceCostQuery = graphql(`
  query WorkspaceCost($from: DateTime!) {
    daily: metrics(filter: { from: $from }, groupBy: [PROMPT], bucket: DAY) {
      promptName
      bucketStart
      totalCalls
      totalCost
    }
  }
`);
