#!/bin/sh
# Forms the replica set once every member answers, then brings its membership and the
# platform's users in step with the manifests. Safe to run any number of times.
set -eu

members=""
i=0
while [ "$i" -lt "$MONGODB_REPLICAS" ]; do
  members="$members${members:+,}$MONGODB_STATEFULSET-$i.$MONGODB_SERVICE:27017"
  i=$((i + 1))
done

for member in $(echo "$members" | tr ',' ' '); do
  until mongosh --quiet --norc "mongodb://$member/?directConnection=true" \
      --eval 'db.adminCommand({ ping: 1 })' > /dev/null 2>&1; do
    echo "waiting for $member"
    sleep 2
  done
done

export MONGODB_MEMBERS="$members"
# Credentials come from the environment inside the scripts, never from argv.
mongosh --quiet --norc "mongodb://$MONGODB_STATEFULSET-0.$MONGODB_SERVICE:27017/admin?directConnection=true" \
  --file /scripts/initiate.js
mongosh --quiet --norc "mongodb://$members/admin?replicaSet=$MONGODB_REPLICA_SET" \
  --file /scripts/reconcile.js
