import { group } from './harness.js';
const { list } = group('closed');
export default list;
