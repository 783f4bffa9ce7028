/** GraphQL operations of the A/B test pages (start, watch live, ramp, stop, promote), typed by codegen. */
import { graphql } from '../gql';

/** The prompt page's list of tests: running and past, newest first. */
export const PromptABTestsQuery = graphql(`
  query PromptABTests($name: String!) {
    prompt(name: $name) {
      id
      name
      viewerCanManageTests
      latestVersion {
        number
      }
      abTests {
        id
        label
        status
        metric
        startedAt
        endedAt
        variants {
          key
          weight
          version {
            id
            number
          }
        }
        winner {
          key
          version {
            number
          }
        }
      }
    }
  }
`);

/** What the start form offers: the prompt's versions and labels. */
export const StartABTestFormQuery = graphql(`
  query StartABTestForm($name: String!) {
    prompt(name: $name) {
      id
      name
      revision
      archivedAt
      viewerCanManageTests
      labels {
        name
        version {
          id
          number
        }
      }
      versions(first: 100) {
        id
        number
        message
        model
      }
      activeABTest {
        id
      }
    }
  }
`);

export const ABTestPageQuery = graphql(`
  query ABTestPage($id: ID!) {
    abTest(id: $id) {
      id
      label
      status
      metric
      minSampleSize
      autoPromote
      startedAt
      endedAt
      prompt {
        id
        name
        revision
        viewerCanManageTests
        labels {
          name
          version {
            id
            number
          }
        }
      }
      variants {
        key
        weight
        version {
          id
          number
          message
        }
      }
      winner {
        key
        version {
          id
          number
        }
      }
      results {
        decision
        srmPValue
        method
        variants {
          key
          weight
          isControl
          version {
            id
            number
          }
          metrics {
            totalCalls
            successRate
            avgLatencyMs
            qualityScore
            feedbackCount
            costPerCall
          }
          difference
          confidenceInterval
          pValue
          alwaysValidPValue
        }
      }
    }
  }
`);

export const StartABTestMutation = graphql(`
  mutation StartABTest($input: StartABTestInput!) {
    startABTest(input: $input) {
      id
    }
  }
`);

export const RampABTestMutation = graphql(`
  mutation RampABTest($id: ID!, $variants: [ABVariantInput!]!, $expectedRevision: Int) {
    updateABTest(id: $id, variants: $variants, expectedRevision: $expectedRevision) {
      id
      variants {
        key
        weight
      }
    }
  }
`);

export const StopABTestMutation = graphql(`
  mutation StopABTest($id: ID!, $promoteVersionId: ID) {
    stopABTest(id: $id, promoteVersionId: $promoteVersionId) {
      id
      status
    }
  }
`);

/** Tests of one prompt as they start, ramp, stop or conclude (only the id: the page refetches its view). */
export const ABTestUpdatedSubscription = graphql(`
  subscription ABTestUpdated($promptName: String) {
    abTestUpdated(promptName: $promptName) {
      id
      status
    }
  }
`);

/** Fresh calls of the prompt's versions (at most one event per version per second): the results moved. */
export const ABMetricsUpdatedSubscription = graphql(`
  subscription ABMetricsUpdated($promptName: String!) {
    metricsUpdated(promptName: $promptName) {
      at
      version {
        id
      }
    }
  }
`);
