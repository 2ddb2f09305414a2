#!/bin/bash
# The classic euca2ools 1.x tutorial, as an operator's script written for euca2ools: it
# parses the tab-separated output with awk and feeds ids from one command into the next.
# Run unchanged against euca2ools-swift by ClassicTutorialTests (with EC2_URL and keys in the
# environment, as `source eucarc` sets them). The few deviations are moto's, marked "moto:".
# Fields are split on tabs (-F'\t'): euca2ools output keeps empty fields.
set -eu

step() { echo "== $*"; }

step "zones and images"
euca-describe-availability-zones
ZONE=$(euca-describe-availability-zones | awk '$1 == "AVAILABILITYZONE" {print $2; exit}')
# moto: euca-describe-images lists moto's ~1,000 built-in images; take the first machine image.
EMI=$(euca-describe-images | awk -F'\t' '$1 == "IMAGE" && $8 == "machine" && $7 == "x86_64" {print $2; exit}')
test -n "$ZONE" && test -n "$EMI"

step "key pairs"
euca-add-keypair tutorialkey > tutorialkey.private
chmod 0600 tutorialkey.private
grep -q "BEGIN RSA PRIVATE KEY" tutorialkey.private
euca-describe-keypairs | grep -q "^KEYPAIR	tutorialkey	"

step "security groups"
euca-add-group -d "Tutorial group" tutorialgroup
euca-authorize -P tcp -p 22 -s 0.0.0.0/0 tutorialgroup
euca-authorize --protocol tcp --port-range 80-81 --source-subnet 10.0.0.0/8 tutorialgroup
euca-authorize -P icmp -t -1:-1 tutorialgroup
euca-describe-groups tutorialgroup
euca-describe-groups tutorialgroup | awk -F'\t' '$1 == "PERMISSION" && $6 == "22"' | grep -q .

step "instances"
euca-run-instances -k tutorialkey -n 2 -g tutorialgroup -t m1.small -z "$ZONE" "$EMI" | tee run.out
INSTANCES=$(awk '$1 == "INSTANCE" {print $2}' run.out)
FIRST=$(echo "$INSTANCES" | head -n 1)
test "$(echo "$INSTANCES" | wc -l)" -eq 2
euca-describe-instances $INSTANCES | awk '$1 == "INSTANCE" {print $2, $6}'
euca-reboot-instances "$FIRST"

step "volumes and snapshots"
VOLUME=$(euca-create-volume --size 1 --zone "$ZONE" | awk '{print $2}')
euca-describe-volumes "$VOLUME"
euca-attach-volume -i "$FIRST" -d /dev/sdb "$VOLUME"
# moto: DetachVolume without the instance id is a server error, so name the instance.
euca-detach-volume -i "$FIRST" "$VOLUME"
SNAPSHOT=$(euca-create-snapshot "$VOLUME" | awk '{print $2}')
euca-describe-snapshots "$SNAPSHOT" | grep -q "^SNAPSHOT	$SNAPSHOT	$VOLUME	"
euca-delete-snapshot "$SNAPSHOT"
euca-delete-volume "$VOLUME"

step "addresses"
ADDRESS=$(euca-allocate-address | awk '{print $2}')
euca-associate-address -i "$FIRST" "$ADDRESS"
euca-describe-addresses "$ADDRESS" | awk -v i="$FIRST" '$3 == i' | grep -q .
euca-disassociate-address "$ADDRESS"
euca-release-address "$ADDRESS"

step "images"
IMAGE=$(euca-register tutorialbucket/tutorial.img.manifest.xml | awk '{print $2}')
euca-describe-images "$IMAGE" | grep -q "^IMAGE	$IMAGE	"
euca-deregister "$IMAGE"

step "clean up"
euca-terminate-instances $INSTANCES
euca-revoke -P tcp -p 22 -s 0.0.0.0/0 tutorialgroup
euca-delete-keypair tutorialkey
echo "tutorial complete"
