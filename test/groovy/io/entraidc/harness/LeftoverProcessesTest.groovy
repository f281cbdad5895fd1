package io.entraidc.harness

import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/**
 * What a killed step leaves running, and who ends it, as in Jenkins: a step's processes carry
 * its JENKINS_SERVER_COOKIE (a timeout's stop kills them all, however the tree was broken) and
 * the node block's JENKINS_NODE_COOKIE (its end kills whatever is left); an agent crash ends every
 * process of the step. Each test then finds no process of this JVM's mark (TestRun) running.
 */
class LeftoverProcessesTest {
    static final File CACHE = new File(System.getenv('ENTRAIDC_CACHE') ?: "${System.getProperty('user.home')}/.cache/entra-idc")

    /** Offline: no API call; the data source is read after the provisioner, so the provider runs all the while. */
    static final String CONFIG = '''
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "not-a-key"
  secret_key                  = "not-a-secret"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

resource "terraform_data" "slow" {
  provisioner "local-exec" {
    command = "touch started; sleep 120"
  }
}

data "aws_partition" "current" {
  depends_on = [terraform_data.slow]
}
'''

    static List<MarkedProcesses.Seen> marked() { return MarkedProcesses.carrying(TestRun.VARIABLE, TestRun.ID) }

    @Test
    void aTerraformKilledMidApplyLeavesItsProvidersAndTheNodeBlocksEndKillsThem() {
        PipelineHarness h = new PipelineHarness(libraryRoot: PipelineHarnessTest.FIXTURE_LIB)
        new File(h.workspace, 'main.tf').text = CONFIG
        h.baseEnvironment.TF_CLI_CONFIG_FILE = new File(CACHE, 'tofurc').path
        h.baseEnvironment.TOFU = new File(CACHE, 'bin/tofu').path
        // Terraform alone gets SIGKILL mid-apply (as the kernel's OOM killer ends the largest process):
        // its provider plugin and its provisioner's shell become children of init.
        h.runScript('''
            node {
                sh \'\'\'#!/usr/bin/env bash
                set -euo pipefail
                "$TOFU" init -input=false -no-color > init.log
                "$TOFU" apply -auto-approve -input=false -no-color > apply.log 2>&1 &
                tofu=$!
                for _ in $(seq 600); do [ -e started ] && break; kill -0 "$tofu" || { cat apply.log; exit 1; }; sleep 0.1; done
                provider="$(pgrep -P "$tofu" -f terraform-provider-aws)"
                kill -KILL "$tofu"
                wait "$tofu" || true
                sleep 0.5
                echo "provider $provider: parent $(ps -o ppid= -p "$provider" | tr -d ' ')"
                \'\'\'
            }
            ''')
        String line = h.log.lines.find { it ==~ /provider \d+: parent \d+/ }
        assertNotNull(line, 'the provider was not found running after Terraform died:\n' + h.log.text)
        long provider = (line =~ /provider (\d+)/)[0][1] as long
        println "seen: Terraform got SIGKILL and left its ${line}"
        // The orphaned provider dies by itself only when it next writes to the pipe its dead Terraform
        // held (SIGPIPE): minutes later, or never (CI found two alive half an hour after a run).
        assertFalse(AgentCrashTest.running(provider), "the orphaned provider ${provider} outlived the node block")
        assertTrue(h.leftovers.any { it.command.contains('sleep 120') }, "${h.leftovers}")
        assertEquals([], marked(), 'still running after the node block')
        println "checked: the end of the node block killed ${h.leftovers.size()} processes Terraform's SIGKILL orphaned: " +
                h.leftovers*.command.collect { it.take(60) }
    }

    @Test
    void aTimedOutStepsProcessStartedAfterTheInterruptIsKilledToo() {
        PipelineHarness h = new PipelineHarness(libraryRoot: PipelineHarnessTest.FIXTURE_LIB)
        h.softKillMillis = 1000L
        // As Terraform does on SIGTERM: it goes on shutting down (and may start one more plugin),
        // then gets SIGKILL after the soft-kill wait.
        assertThrows(FlowInterruptedException) {
            h.runScript('''
                node {
                    timeout(time: 1, unit: 'SECONDS') {
                        sh \'\'\'trap 'sleep 300 > /dev/null 2>&1 & echo $! > late.pid' TERM
                        while true; do sleep 0.1; done\'\'\'
                    }
                }
                ''')
        }
        long late = new File(h.workspace, 'late.pid').text.trim() as long
        assertFalse(AgentCrashTest.running(late), "the process the step started after SIGTERM (${late}) survived")
        assertEquals([], marked(), 'still running after the timeout')
    }

    @Test
    void anAgentCrashKillsAProcessThatLeftTheStepsGroupAndTree() {
        PipelineHarness h = new PipelineHarness(libraryRoot: PipelineHarnessTest.FIXTURE_LIB)
        h.crashWhen(line: '^daemon started')
        // A daemon: forked twice and in a session of its own, so neither the group nor the tree holds it.
        assertThrows(AgentCrash) {
            h.runScript('''
                node {
                    sh \'\'\'( setsid sleep 300 > /dev/null 2>&1 & echo $! > daemon.pid )
                    echo daemon started; sleep 300\'\'\'
                }
                ''')
        }
        long daemon = new File(h.workspace, 'daemon.pid').text.trim() as long
        assertFalse(AgentCrashTest.running(daemon), "the step's daemon (${daemon}) survived the crash")
        assertEquals([], marked(), 'still running after the crash')
    }
}
