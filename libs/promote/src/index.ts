export { promote, type PromoteRequest, type PromoteResult, type PromotedImage } from './promote';
export { formatPromotion } from './format';
export { editReleases, type ReleaseEdit } from './releases-file';
export { selectImages, parseImageArg } from './select';
