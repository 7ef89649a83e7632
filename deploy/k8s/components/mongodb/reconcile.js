// Run against the replica set (the driver finds the primary): add members the
// StatefulSet gained since the set was formed, create or update each process's user, and
// drop the retired shared one.
// Removing members after a scale-down is left to an operator (see deploy/k8s/README.md).
const env = process.env;
const admin = db.getSiblingDB("admin");
admin.auth(env.MONGO_INITDB_ROOT_USERNAME, env.MONGO_INITDB_ROOT_PASSWORD);

const known = new Set(rs.conf().members.map((m) => m.host));
for (const host of env.MONGODB_MEMBERS.split(",")) {
  if (!known.has(host)) {
    rs.add(host);
    print(`added ${host}`);
  }
}

// Each process's user and password come from its own MONGO_URL, under MONGO_URL_<NAME>
// (the scheme, then <user>:<password>@ before the hosts); it may read and write the
// database <name> only.
const USERINFO = new RegExp("^mongodb(?:[+]srv)?:[/][/]([^:@/]+):([^@/]*)@");

function credentials(url) {
  const found = USERINFO.exec(url || "");
  if (found === null) throw new Error("a MONGO_URL_<NAME> carries no user and password");
  return { user: decodeURIComponent(found[1]), pwd: decodeURIComponent(found[2]) };
}

const users = new Set();
for (const name of env.MONGODB_APP_DATABASES.split(",")) {
  const { user, pwd } = credentials(env[`MONGO_URL_${name.toUpperCase()}`]);
  const roles = [{ role: "readWrite", db: name }];
  users.add(user);
  if (admin.getUser(user) === null) {
    admin.createUser({ user, pwd, roles });
    print(`created user ${user} (readWrite on ${name})`);
  } else {
    admin.updateUser(user, { pwd, roles });
    print(`updated user ${user} (readWrite on ${name})`);
  }
}

for (const user of (env.MONGODB_RETIRED_USERS || "").split(",").filter(Boolean)) {
  if (!users.has(user) && admin.getUser(user) !== null) {
    admin.dropUser(user);
    print(`dropped user ${user}`);
  }
}
