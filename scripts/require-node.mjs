// npm start and npm test run on the Node.js 22 that `npm install` puts in node_modules (the `node`
// dev dependency); this says so plainly when they are run on an older one.
const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(
    `radstruct needs Node.js 22.12 or newer; this is ${process.version}. Run it through npm ` +
      '(npm start, npm test, npx radstruct), which uses the Node 22 that npm install brought, or install Node 22.',
  )
  process.exit(1)
}
