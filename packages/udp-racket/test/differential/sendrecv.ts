import { group } from './harness.js';
const { list } = group('sendrecv');
export default list;
